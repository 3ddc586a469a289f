using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// The basic residual block of He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016), Fig. 2:
/// y = ReLU(BN(conv3×3(ReLU(BN(conv3×3(x))))) + shortcut(x)), where the shortcut is the identity, or a strided
/// 1×1 convolution + BN when the block changes the resolution or the width (option B of the paper).
/// Submodules are named as torchvision's <c>BasicBlock</c>: conv1, bn1, conv2, bn2, downsample.0/1.
/// </summary>
internal sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly KeptAliveBatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly KeptAliveBatchNorm2d bn2;
    private readonly Sequential? downsample;

    public BasicBlock(long inPlanes, long planes, long stride)
        : base(nameof(BasicBlock))
    {
        conv1 = nn.Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = new KeptAliveBatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, stride: 1, padding: 1, bias: false);
        bn2 = new KeptAliveBatchNorm2d(planes);
        if (stride != 1 || inPlanes != planes)
        {
            downsample = nn.Sequential(
                ("0", nn.Conv2d(inPlanes, planes, 1, stride: stride, bias: false)),
                ("1", new KeptAliveBatchNorm2d(planes)));
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var output = nn.functional.relu(bn1.call(conv1.call(input)));
        output = bn2.call(conv2.call(output));
        var shortcut = downsample is null ? input : downsample.call(input);
        return nn.functional.relu(output.add_(shortcut, LiveScalars.One));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            conv2.Dispose();
            bn2.Dispose();
            downsample?.Dispose();
        }
        base.Dispose(disposing);
    }
}
