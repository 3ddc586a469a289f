using ExplainApi.Core.Datasets;
using ExplainApi.Core.Datasets.Brain;

namespace ExplainApi.Core.Tests.Datasets;

public sealed class BrainAtrophyReferenceTests
{
    private static IDataset Create(string reference) => SyntheticGeneratorRegistry.BuiltIn().Create(SyntheticReference.Parse(reference));

    [Fact]
    public void A_reference_sets_every_parameter_and_is_echoed_in_canonical_form()
    {
        var dataset = Assert.IsType<BrainAtrophyDataset>(Create("synthetic:brain-atrophy?regions=9&n=10&size=32&seed=2&severity=30&zmin=-10&zmax=0&noise=0"));
        Assert.Equal("synthetic:brain-atrophy?n=10&size=32&seed=2&severity=30&zmin=-10&zmax=0&noise=0&regions=9", dataset.Reference);
        Assert.Equal((10, 32, 32), (dataset.Count, dataset.Height, dataset.Width));
        Assert.Equal(AtrophyRegions.Hippocampus | AtrophyRegions.Ventricles, dataset.Options.Regions);
        Assert.Equal(32 * 32, dataset.Get(9).Pixels.Length);
    }

    [Fact]
    public void Defaults_are_128_pixels_severity_20_and_every_structure()
    {
        var dataset = Create("synthetic:brain-atrophy");
        Assert.Equal("synthetic:brain-atrophy?n=10000&size=128&seed=1&severity=20&zmin=-18&zmax=14&noise=3&regions=15", dataset.Reference);
        Assert.Equal(["normal", "atrophy"], dataset.ClassNames);
    }

    [Theory]
    [InlineData("n=5", "even")]
    [InlineData("severity=31", "out of range")]
    [InlineData("severity=-1", "out of range")]
    [InlineData("size=31", "out of range")]
    [InlineData("noise=21", "out of range")]
    [InlineData("regions=16", "out of range")]
    [InlineData("zmin=-46", "out of range")]
    [InlineData("zmin=5&zmax=-5", "zmin=5 is above zmax=-5")]
    [InlineData("depth=3", "Unknown parameter 'depth'")]
    [InlineData("severity=2.5", "not an integer")]
    public void Bad_parameters_are_reference_errors_that_say_why(string query, string expected)
    {
        var error = Assert.Throws<DatasetReferenceException>(() => Create($"synthetic:brain-atrophy?{query}"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(error.NotFound);
    }

    [Fact]
    public void Without_mricron_data_creating_the_dataset_names_the_package_to_install()
    {
        var registry = new SyntheticGeneratorRegistry([new BrainAtrophyGenerator("/nonexistent/mricron")]);
        Assert.Contains(registry.Generators, g => g.Name == "brain-atrophy"); // listing needs no files
        var error = Assert.Throws<DatasetReferenceException>(() => registry.Create(SyntheticReference.Parse("synthetic:brain-atrophy?n=4")));
        Assert.Contains("apt-get install mricron-data", error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/install-os-packages.sh", error.Message, StringComparison.Ordinal);
        Assert.Contains("ch2bet.nii.gz", error.Message, StringComparison.Ordinal);
    }
}
