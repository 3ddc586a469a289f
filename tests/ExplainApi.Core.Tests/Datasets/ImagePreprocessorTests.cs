using ExplainApi.Core.Datasets;
using ExplainApi.Core.Imaging;

namespace ExplainApi.Core.Tests.Datasets;

public sealed class ImagePreprocessorTests
{
    private static ImageTensor Grey(params float[] values) =>
        new(1, 1, values.Length, values, new IntensityWindow(0, 255), new ImageSourceInfo(ImageFormat.Png, 8, "grey"));

    [Fact]
    public void Window_normalisation_maps_the_window_to_minus_one_one_as_training_did()
    {
        var input = ImagePreprocessor.ToModelInput(Grey(0, 51, 255), 1, 1, 3, InputNormalization.Window(1));

        Assert.Equal([-1f, -0.6f, 1f], input, new Tolerance());
        Assert.Equal(input, ImagePreprocessor.ToModelInput(Grey(0, 51, 255), 1, 1, 3)); // the dataset importer's call
    }

    [Fact]
    public void Mean_and_std_of_the_manifest_are_applied_per_channel()
    {
        var normalization = new InputNormalization(InputNormalization.WindowThenStandardize, [0.25f], [0.25f]);

        var input = ImagePreprocessor.ToModelInput(Grey(0, 255), 1, 1, 2, normalization);

        Assert.Equal([-1f, 3f], input, new Tolerance());
    }

    [Fact]
    public void Per_image_min_max_symmetric_scales_each_image_to_minus_one_one()
    {
        var input = ImagePreprocessor.ToModelInput(Grey(100, 150, 200), 1, 1, 3, InputNormalization.MinMaxSymmetric);

        Assert.Equal([-1f, 0f, 1f], input, new Tolerance());
    }

    private sealed class Tolerance : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) < 1e-5f;

        public int GetHashCode(float obj) => 0;
    }
}
