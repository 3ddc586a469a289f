namespace ExplainApi.Onnx.Export;

/// <summary>
/// The ONNX contract of every difference-map generator (VA-GAN, CycleGAN): float32 input <see cref="Input"/> [N,C,H,W],
/// normalised as the dataset, and output <see cref="Translated"/> [N,C,H,W], the image translated to the other class.
/// The difference map is translated − input, computed by the serving side.
/// </summary>
public static class DifferenceMapOnnxContract
{
    public const string Input = "input", Translated = "translated";
}
