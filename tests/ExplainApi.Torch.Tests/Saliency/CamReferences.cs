using TorchSharp;
using static ExplainApi.Torch.Tests.Saliency.ReferenceTensors;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Saliency;

/// <summary>
/// The CAM family written directly as tensor formulas (METHODS.md §1), each returning the raw H×W map:
/// the low-resolution map, ReLU, then bilinear upsampling with align_corners=false.
/// </summary>
internal static class CamReferences
{
    public static Tensor Cam(TinyCamNet net, float[] image, int c)
    {
        var a = net.Features(Image(image))[0];
        var w = net.Fc.weight![c].reshape(-1, 1, 1);
        return Upsample(nn.functional.relu((w * a).sum([0])));
    }

    public static Tensor GradCam(TinyCamNet net, float[] image, int c) =>
        Channelwise(net, image, c, (a, g) => g.mean([1, 2], keepdim: true));

    // Chattopadhay 2018 eq. 19 with ε = 1e-6; a_kij = 0 where g = 0.
    public static Tensor GradCamPlusPlus(TinyCamNet net, float[] image, int c) => Channelwise(net, image, c, (a, g) =>
    {
        var (g2, g3) = (g.pow(2), g.pow(3));
        var alpha = where(g.ne(0), g2 / ((2 * g2) + (a.sum([1, 2], keepdim: true) * g3) + 1e-6), zeros_like(g));
        return (alpha * nn.functional.relu(g)).sum([1, 2], keepdim: true);
    });

    public static Tensor XGradCam(TinyCamNet net, float[] image, int c) =>
        Channelwise(net, image, c, (a, g) => (a * g).sum([1, 2], keepdim: true) / (a.sum([1, 2], keepdim: true) + 1e-7));

    public static Tensor LayerCam(TinyCamNet net, float[] image, int c)
    {
        var (_, a, g, _) = Backward(net, Image(image), c);
        return Upsample(nn.functional.relu((nn.functional.relu(g[0]) * a[0]).sum([0])));
    }

    public static Tensor HiResCam(TinyCamNet net, float[] image, int c)
    {
        var (_, a, g, _) = Backward(net, Image(image), c);
        return Upsample(nn.functional.relu((g[0] * a[0]).sum([0])));
    }

    // First right singular vector of the channel-centred K×hw matrix, σ₁v₁, signed to correlate with Σ_k A_k.
    public static Tensor EigenCam(TinyCamNet net, float[] image)
    {
        var a = net.Features(Image(image))[0];
        var x = a.reshape(TinyCamNet.K, -1).to_type(ScalarType.Float64);
        x -= x.mean([1], keepdim: true);
        var (_, s, vh) = linalg.svd(x, fullMatrices: false);
        var map = s[0] * vh[0];
        if ((map * a.sum([0]).flatten().to_type(ScalarType.Float64)).sum().item<double>() < 0)
        {
            map = -map;
        }

        return Upsample(nn.functional.relu(map.reshape(TinyCamNet.Side, TinyCamNet.Side)).to_type(ScalarType.Float32));
    }

    // Wang 2020: w_k = softmax(f(x ∘ H_k))_c with H_k the min–max normalised upsampled A_k; constant channels weigh 0.
    public static Tensor ScoreCam(TinyCamNet net, float[] image, int c)
    {
        var x = Image(image);
        var a = net.Features(x)[0];
        var up = UpsampleChannels(a);
        var (min, max) = (up.amin([1, 2], keepdim: true), up.amax([1, 2], keepdim: true));
        var masks = (up - min) / (max - min);
        var probabilities = net.call(x * masks.unsqueeze(1)).softmax(1)[.., c];
        var weights = where(max.flatten().gt(min.flatten()), probabilities, zeros_like(probabilities));
        return Upsample(nn.functional.relu((weights.reshape(-1, 1, 1) * a).sum([0])));
    }

    // Desai 2020 with |y_c| (our stated deviation): w_k = (y_c − y_c^(k)) / |y_c|, y^(k) = head(A with channel k zeroed).
    public static Tensor AblationCam(TinyCamNet net, float[] image, int c)
    {
        var a = net.Features(Image(image));
        var y = net.Head(a)[0, c];
        var ablated = a.repeat(TinyCamNet.K, 1, 1, 1);
        var keep = ones(TinyCamNet.K, TinyCamNet.K) - eye(TinyCamNet.K);
        var drops = y - net.Head(ablated * keep.reshape(TinyCamNet.K, TinyCamNet.K, 1, 1))[.., c];
        var weights = drops / y.abs();
        return Upsample(nn.functional.relu((weights.reshape(-1, 1, 1) * a[0]).sum([0])));
    }

    private static Tensor Channelwise(TinyCamNet net, float[] image, int c, Func<Tensor, Tensor, Tensor> weights)
    {
        var (_, a, g, _) = Backward(net, Image(image), c);
        return Upsample(nn.functional.relu((weights(a[0], g[0]) * a[0]).sum([0])));
    }
}
