using ExplainApi.Core.Datasets;
using ExplainApi.Core.Datasets.Lesions;

namespace ExplainApi.Core.Tests.Datasets;

public sealed class LesionsReferenceTests
{
    private static IDataset Create(string reference) => SyntheticGeneratorRegistry.BuiltIn().Create(SyntheticReference.Parse(reference));

    [Fact]
    public void A_reference_sets_every_parameter_and_is_echoed_in_canonical_form()
    {
        var dataset = Assert.IsType<LesionsDataset>(Create("synthetic:lesions?max=2&background=noise&n=10&size=48&seed=2"));
        Assert.Equal("synthetic:lesions?n=10&size=48&seed=2&background=noise&max=2", dataset.Reference);
        Assert.Equal((10, 48, 48, LesionBackground.Noise, 2), (dataset.Count, dataset.Height, dataset.Width, dataset.Options.Background, dataset.Options.MaxPerClass));
        Assert.Equal(48 * 48, dataset.Get(9).Pixels.Length);
    }

    [Fact]
    public void Defaults_are_4000_mixed_images_of_112_pixels_with_up_to_3_lesions_per_class()
    {
        var dataset = Assert.IsAssignableFrom<IMultiLabelDataset>(Create("synthetic:lesions"));
        Assert.Equal("synthetic:lesions?n=4000&size=112&seed=1&background=mixed&max=3", dataset.Reference);
        Assert.Equal(["blob", "thin", "tiny"], dataset.ClassNames);
        Assert.Contains(SyntheticGeneratorRegistry.BuiltIn().Generators, g => g.Name == "lesions");
    }

    [Theory]
    [InlineData("background=skull", "background='skull' is not one of brain, noise, mixed")]
    [InlineData("background=1", "background='1' is not one of brain, noise, mixed")]
    [InlineData("max=4", "max=4 is out of range [0, 3]")]
    [InlineData("max=-1", "out of range")]
    [InlineData("size=47", "out of range")]
    [InlineData("size=513", "out of range")]
    [InlineData("n=3", "out of range")]
    [InlineData("seed=x", "not an integer")]
    [InlineData("classes=4", "Unknown parameter 'classes'")]
    public void Bad_parameters_are_reference_errors_that_say_why(string query, string expected)
    {
        var error = Assert.Throws<DatasetReferenceException>(() => Create($"synthetic:lesions?{query}"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(error.NotFound);
    }

    [Fact]
    public void Without_mricron_data_noise_backgrounds_work_and_brain_ones_name_the_package_to_install()
    {
        var registry = new SyntheticGeneratorRegistry([new LesionsGenerator("/nonexistent/mricron")]);
        var noise = registry.Create(SyntheticReference.Parse("synthetic:lesions?n=4&size=48&background=noise"));
        Assert.Equal(48 * 48, noise.Get(3).Pixels.Length);
        foreach (var background in new[] { "brain", "mixed" })
        {
            var error = Assert.Throws<DatasetReferenceException>(() => registry.Create(SyntheticReference.Parse($"synthetic:lesions?background={background}")));
            Assert.Contains("synthetic:lesions needs the Colin27 brain", error.Message, StringComparison.Ordinal);
            Assert.Contains("apt-get install mricron-data", error.Message, StringComparison.Ordinal);
        }
    }
}
