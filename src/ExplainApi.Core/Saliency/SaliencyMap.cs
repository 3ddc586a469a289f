namespace ExplainApi.Core.Saliency;

/// <summary>
/// A saliency map at the input's size H×W (row-major): <paramref name="Raw"/> in the method's own
/// units (after its ReLU and bilinear upsampling) and <paramref name="Normalized"/>, its min–max
/// scaling to [0, 1] for display (all zeros for a constant map, which ranks nothing).
/// </summary>
public sealed record SaliencyMap(string Method, int TargetClass, int Height, int Width, float[] Raw, float[] Normalized);
