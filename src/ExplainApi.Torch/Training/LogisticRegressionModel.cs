using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training;

/// <summary>
/// Multinomial logistic regression on flattened pixels: logits = W·flatten(x) + b, with W: [classes, C·H·W].
/// The one submodule is named <c>fc</c>, so the weights are <c>fc.weight</c> and <c>fc.bias</c> as in PyTorch.
/// </summary>
public sealed class LogisticRegressionModel : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc;

    public LogisticRegressionModel(int channels, int height, int width, int classes)
        : base(nameof(LogisticRegressionModel))
    {
        Channels = channels;
        Height = height;
        Width = width;
        Classes = classes;
        fc = nn.Linear(Features, classes);
        RegisterComponents();
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int Classes { get; }

    public long Features => (long)Channels * Height * Width;

    public Linear Fc => fc;

    /// <param name="input">[N, C, H, W]</param>
    /// <returns>logits [N, classes]</returns>
    public override Tensor forward(Tensor input) => fc.call(input.flatten(1));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            fc.Dispose();
        }
        base.Dispose(disposing);
    }
}
