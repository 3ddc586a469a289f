namespace ExplainApi.Core.Segmentation;

/// <summary>The CRF's marginals Q (C × H × W, label-major, each pixel summing to 1) and their arg-max label map (H × W).</summary>
public sealed record DenseCrfResult(int Labels, int Height, int Width, float[] Probabilities, int[] LabelMap);
