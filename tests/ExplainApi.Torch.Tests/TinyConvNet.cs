using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests;

/// <summary>
/// Conv2d(1→2, 3×3) → tanh → flatten → Linear(8→3) on 1×4×4 inputs. tanh rather than ReLU keeps the loss smooth,
/// so central finite differences are accurate everywhere.
/// </summary>
internal sealed class TinyConvNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly Linear fc;

    public TinyConvNet()
        : base(nameof(TinyConvNet))
    {
        conv = nn.Conv2d(1, 2, 3);
        fc = nn.Linear(8, 3);
        RegisterComponents();
    }

    public Conv2d Conv => conv;

    public Linear Fc => fc;

    public override Tensor forward(Tensor input) => fc.call(conv.call(input).tanh().flatten(1));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv.Dispose();
            fc.Dispose();
        }
        base.Dispose(disposing);
    }
}
