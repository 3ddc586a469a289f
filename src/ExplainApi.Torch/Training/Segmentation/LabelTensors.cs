using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>Label maps (one byte per pixel) to and from the int64 [N, H, W] tensors cross-entropy and one-hot take.</summary>
internal static class LabelTensors
{
    public static Tensor From(IReadOnlyList<byte[]> masks, int height, int width)
    {
        var plane = height * width;
        var values = new long[masks.Count * plane];
        for (var n = 0; n < masks.Count; n++)
        {
            for (var p = 0; p < plane; p++)
            {
                values[(n * plane) + p] = masks[n][p];
            }
        }
        return tensor(values).reshape(masks.Count, height, width);
    }

    public static byte[][] To(Tensor labels)
    {
        var (count, plane) = ((int)labels.shape[0], (int)(labels.shape[1] * labels.shape[2]));
        var values = labels.contiguous().data<long>().ToArray();
        var masks = new byte[count][];
        for (var n = 0; n < count; n++)
        {
            masks[n] = new byte[plane];
            for (var p = 0; p < plane; p++)
            {
                masks[n][p] = (byte)values[(n * plane) + p];
            }
        }
        return masks;
    }
}
