using ExplainApi.Core.Datasets;

namespace ExplainApi.Torch.Tests.Training.Classifier;

/// <summary>
/// 1×32×32 images of Gaussian noise (σ = 0.35) on a −0.5 background; label 1 ("square") adds a bright 8×8 square
/// (+1.0) in the centre, label 0 ("plain") does not. With <c>randomLabels</c> the labels are coin flips that
/// ignore the image, so nothing generalises. Sample i is the same on every call.
/// </summary>
internal sealed class CentreSquareDataset(int count = 200, int seed = 11, bool randomLabels = false, int side = 32) : IDataset
{
    private const int Square = 8;

    public string Reference => $"test:centre-square?n={count}&seed={seed}&random={randomLabels}&side={side}";

    public IReadOnlyList<string> ClassNames { get; } = ["plain", "square"];

    public int Channels => 1;

    public int Height => side;

    public int Width => side;

    public int Count => count;

    public InputNormalization Normalization => InputNormalization.MinMaxSymmetric;

    public bool HasMasks => false;

    public int LabelOf(int index) => randomLabels ? new Random(seed * 7_919 + index).Next(2) : index % 2;

    public Sample Get(int index)
    {
        var random = new Random(seed * 100_003 + index);
        var pixels = new float[side * side];
        var hasSquare = randomLabels ? random.Next(2) == 1 : LabelOf(index) == 1;
        var low = (side - Square) / 2;
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                var inSquare = hasSquare && y >= low && y < low + Square && x >= low && x < low + Square;
                pixels[y * side + x] = (float)((inSquare ? 0.5 : -0.5) + 0.35 * gaussian);
            }
        }
        return new Sample(pixels, LabelOf(index), null);
    }
}
