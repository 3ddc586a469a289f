using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

public class DenseCrfDeterminismTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(3, 21)]
    public void The_same_input_gives_identical_output(int channels, int labels)
    {
        // Large enough (96×80) for many chunks per parallel pass.
        var (image, _) = CrfTestData.Shapes(6, 80, 96, channels, Math.Max(labels, 2));
        var probabilities = CrfTestData.Probabilities(7, labels, image.PixelCount);

        var first = DenseCrf.Infer(image, probabilities, labels);
        var second = DenseCrf.Infer(image, probabilities, labels);

        Assert.Equal(first.Probabilities, second.Probabilities);
        Assert.Equal(first.LabelMap, second.LabelMap);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(3, 21)]
    public void One_thread_gives_the_same_output_as_all_cores(int channels, int labels)
    {
        var (image, _) = CrfTestData.Shapes(9, 80, 96, channels, Math.Max(labels, 2));
        var unary = CrfUnary.FromProbabilities(CrfTestData.Probabilities(10, labels, image.PixelCount));

        var serial = new DenseCrf(image, labels, DenseCrfParameters.Default, new ParallelOptions { MaxDegreeOfParallelism = 1 }).Infer(unary);
        var parallel = new DenseCrf(image, labels, DenseCrfParameters.Default).Infer(unary);

        Assert.Equal(serial.Probabilities, parallel.Probabilities);
        Assert.Equal(serial.LabelMap, parallel.LabelMap);
    }

    [Fact]
    public void Inference_can_be_repeated_on_one_built_crf()
    {
        var (image, truth) = CrfTestData.Shapes(8, 40, 48, 1, 3);
        var crf = new DenseCrf(image, 3, DenseCrfParameters.Default);
        var unary = CrfUnary.FromLabels(truth, 3, 0.6f);

        Assert.Equal(crf.Infer(unary).Probabilities, crf.Infer(unary).Probabilities);
    }
}
