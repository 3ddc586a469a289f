using ExplainApi.Core.Datasets;

namespace ExplainApi.Core.Tests.Datasets;

public sealed class DatasetReferenceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("datasets-ref-").FullName;
    private readonly DatasetResolver _resolver;

    public DatasetReferenceTests() =>
        _resolver = new DatasetResolver(SyntheticGeneratorRegistry.BuiltIn(), new UploadedDatasetStore(_root));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("synthetic:squares", "synthetic:squares?n=10000&size=112&seed=1")]
    [InlineData("synthetic:squares?n=2000&seed=1&size=112", "synthetic:squares?n=2000&size=112&seed=1")]
    [InlineData("synthetic:squares?size=32&n=20", "synthetic:squares?n=20&size=32&seed=1")]
    [InlineData("synthetic:squares?seed=0&n=4&size=16", "synthetic:squares?n=4&size=16&seed=0")]
    public void Synthetic_references_resolve_with_defaults_filled_in(string reference, string canonical)
    {
        var dataset = Assert.IsType<SquaresDataset>(_resolver.Resolve(reference));
        Assert.Equal(canonical, dataset.Reference);
        Assert.Equal(dataset.Reference, _resolver.Resolve(canonical).Reference);
    }

    [Theory]
    [InlineData("synthetic:circles?n=10", "Unknown synthetic generator 'circles'; known: brain-atrophy, lesions, squares.")]
    [InlineData("synthetic:squares?m=1", "Unknown parameter 'm' for synthetic:squares; known: n, size, seed.")]
    [InlineData("synthetic:squares?n=abc", "synthetic:squares: n='abc' is not an integer.")]
    [InlineData("synthetic:squares?n=1e3", "synthetic:squares: n='1e3' is not an integer.")]
    [InlineData("synthetic:squares?n=+20", "synthetic:squares: n='+20' is not an integer.")]
    [InlineData("synthetic:squares?n= 20", "synthetic:squares: n=' 20' is not an integer.")]
    [InlineData("synthetic:squares?n=21", "n=21 must be even: the squares classes are balanced 50/50.")]
    [InlineData("synthetic:squares?n=2", "synthetic:squares: n=2 is out of range [4, 10000000].")]
    [InlineData("synthetic:squares?size=8", "synthetic:squares: size=8 is out of range [16, 1024].")]
    [InlineData("synthetic:squares?seed=-1", "synthetic:squares: seed=-1 is out of range [0, 2147483647].")]
    [InlineData("synthetic:squares?n=20&n=20", "'synthetic:squares?n=20&n=20': parameter 'n' is given twice.")]
    [InlineData("synthetic:squares?", "'synthetic:squares?': nothing follows '?'; drop it or add key=value parameters.")]
    [InlineData("synthetic:squares?n", "'synthetic:squares?n': parameter 'n' is not key=value.")]
    [InlineData("synthetic:squares?n=", "'synthetic:squares?n=': parameter 'n=' is not key=value.")]
    [InlineData("synthetic:squares?=5", "'synthetic:squares?=5': parameter '=5' is not key=value.")]
    [InlineData("synthetic:squares?n=20&", "'synthetic:squares?n=20&': parameter '' is not key=value.")]
    [InlineData("synthetic:squares?N=20", "'synthetic:squares?N=20': parameter name 'N' must be lower-case letters, digits and '-'.")]
    [InlineData("synthetic:Squares", "'synthetic:Squares': the generator name must be lower-case letters, digits and '-', e.g. synthetic:squares?n=2000&seed=1.")]
    [InlineData("synthetic:", "'synthetic:': the generator name must be lower-case letters, digits and '-', e.g. synthetic:squares?n=2000&seed=1.")]
    [InlineData("ds_short", "'ds_short' is not a dataset id: ids are 'ds_' and 26 characters a–z, 2–7.")]
    [InlineData("squares", "'squares' is not a dataset reference; use synthetic:NAME?key=value (generators: brain-atrophy, lesions, squares) or an uploaded dataset id (ds_…).")]
    [InlineData(" synthetic:squares", "' synthetic:squares' is not a dataset reference; use synthetic:NAME?key=value (generators: brain-atrophy, lesions, squares) or an uploaded dataset id (ds_…).")]
    [InlineData("", "The dataset reference is empty; use synthetic:squares?n=2000&seed=1 or an uploaded dataset id (ds_…).")]
    public void Malformed_references_are_refused_with_a_precise_message(string reference, string message)
    {
        var exception = Assert.Throws<DatasetReferenceException>(() => _resolver.Resolve(reference));
        Assert.Equal(message, exception.Message);
        Assert.False(exception.NotFound);
    }

    [Fact]
    public void A_well_formed_id_that_names_nothing_is_not_found()
    {
        var id = DatasetIds.New();
        var exception = Assert.Throws<DatasetReferenceException>(() => _resolver.Resolve(id));
        Assert.True(exception.NotFound);
        Assert.Equal($"No uploaded dataset has the id '{id}'.", exception.Message);
    }

    [Fact]
    public void Ids_are_ds_and_26_base32_characters_and_never_repeat()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => DatasetIds.New()).ToList();
        Assert.All(ids, id => Assert.Matches("^ds_[a-z2-7]{26}$", id));
        Assert.All(ids, id => Assert.True(DatasetIds.IsValid(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.False(DatasetIds.IsValid("ds_" + new string('A', 26)));
        Assert.False(DatasetIds.IsValid("ds_" + new string('a', 25) + "1"));
        Assert.False(DatasetIds.IsValid("ds_../" + new string('a', 22)));
    }

    [Fact]
    public void The_registry_describes_each_generator_and_its_parameters()
    {
        var generators = SyntheticGeneratorRegistry.BuiltIn().Generators;
        Assert.Equal(["brain-atrophy", "lesions", "squares"], generators.Select(g => g.Name));
        var squares = generators[2];
        Assert.Equal(["n", "size", "seed"], squares.Parameters.Select(p => p.Name));
        Assert.Equal([10_000L, 112L, 1L], squares.Parameters.Select(p => p.Default));
        Assert.Equal(["n", "size", "seed", "severity", "zmin", "zmax", "noise", "regions"], generators[0].Parameters.Select(p => p.Name));
        Assert.Equal(["n", "size", "seed", "background", "max"], generators[1].Parameters.Select(p => p.Name));
        Assert.All(generators.SelectMany(g => g.Parameters), p => Assert.InRange(p.Default, p.Min, p.Max));
    }
}
