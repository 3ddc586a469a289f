namespace ExplainApi.Core.Segmentation;

/// <summary>
/// One image's seed (<see cref="CamSeeds"/>): <paramref name="Seed"/> H×W (0 = background, k = class k − 1), the classes
/// it was built from (<paramref name="LabelsPredicted"/> when they were read off the classifier rather than given), each
/// one's map divided by its maximum (<paramref name="Cams"/>[i] belongs to <paramref name="Classes"/>[i], H×W), and the
/// classifier's probabilities for the image.
/// </summary>
public sealed record CamSeed(
    byte[] Seed, int Height, int Width, IReadOnlyList<int> Classes, IReadOnlyList<float[]> Cams, bool LabelsPredicted, double[] Probabilities);
