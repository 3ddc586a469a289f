using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Saliency;

/// <summary>The tensor plumbing the reference formulas share: autograd on the net, upsampling, copying out.</summary>
internal static class ReferenceTensors
{
    public const int H = TinyCamNet.Size, W = TinyCamNet.Size;

    public static Tensor Image(float[] image) => tensor(image, [1, TinyCamNet.Channels, H, W]);

    /// <summary>logits, A and the gradients of Σ_n y_{n,c} with respect to A and x, for a batch x.</summary>
    public static (Tensor Logits, Tensor A, Tensor GradA, Tensor GradX) Backward(TinyCamNet net, Tensor x, int c)
    {
        x = x.detach().requires_grad_(true);
        var a = net.Features(x);
        var logits = net.Head(a);
        var grads = autograd.grad([logits[.., c].sum()], [a, x]);
        return (logits.detach(), a.detach(), grads[0], grads[1]);
    }

    /// <summary>F.interpolate(map[None, None], (H, W), mode="bilinear", align_corners=False)[0, 0] of an h×w map.</summary>
    public static Tensor Upsample(Tensor low) =>
        nn.functional.interpolate(low.unsqueeze(0).unsqueeze(0), [H, W], mode: InterpolationMode.Bilinear, align_corners: false)[0, 0];

    /// <summary>K×h×w → K×H×W.</summary>
    public static Tensor UpsampleChannels(Tensor low) =>
        nn.functional.interpolate(low.unsqueeze(0), [H, W], mode: InterpolationMode.Bilinear, align_corners: false)[0];

    public static float[] Values(Tensor t) => t.detach().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();
}
