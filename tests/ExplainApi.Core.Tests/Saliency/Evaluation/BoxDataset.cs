using ExplainApi.Core.Datasets;

namespace ExplainApi.Core.Tests.Saliency.Evaluation;

/// <summary>8×8 images: sample 0 is class 0 (all zeros, empty mask); samples 1 and 2 are class 1, 1 on a 2×2 box (the mask) and 0 elsewhere.</summary>
internal sealed class BoxDataset(bool masks = true) : IDataset
{
    public static readonly (int Row, int Column)[] Boxes = [(0, 0), (2, 3), (5, 1)];

    public string Reference => "test:boxes";

    public IReadOnlyList<string> ClassNames => ["normal", "abnormal"];

    public int Channels => 1;

    public int Height => ReluMeanModel.Size;

    public int Width => ReluMeanModel.Size;

    public int Count => 3;

    public InputNormalization Normalization => InputNormalization.MinMaxSymmetric;

    public bool HasMasks => masks;

    public int LabelOf(int index) => index == 0 ? 0 : 1;

    public Sample Get(int index)
    {
        var pixels = new float[ReluMeanModel.Pixels];
        if (index > 0)
        {
            var (row, column) = Boxes[index];
            foreach (var (dy, dx) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
            {
                pixels[((row + dy) * ReluMeanModel.Size) + column + dx] = 1f;
            }
        }

        return new Sample(pixels, LabelOf(index), masks ? (float[])pixels.Clone() : null);
    }
}
