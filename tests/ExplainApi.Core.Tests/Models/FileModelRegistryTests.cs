using System.Text.Json;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;

namespace ExplainApi.Core.Tests.Models;

public sealed partial class FileModelRegistryTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("registry-test-");

    private string Root => Path.Combine(temp.FullName, "models");

    public void Dispose() => temp.Delete(recursive: true);

    [Fact]
    public async Task Registering_copies_both_files_hashes_them_and_writes_an_indented_camelCase_manifest()
    {
        var registry = new FileModelRegistry(Root);
        var trained = Trained("onnx-bytes", "weight-bytes");

        var manifest = await registry.RegisterAsync("squares", trained, "job_1", "synthetic:squares", CancellationToken.None);

        Assert.Equal(("squares", 1, "job_1", "synthetic:squares"), (manifest.Name, manifest.Version, manifest.TrainingJob, manifest.Dataset));
        var folder = registry.VersionDirectory("squares", 1);
        Assert.Equal(Path.Combine(Root, "squares", "1"), folder);
        Assert.Equal("onnx-bytes", File.ReadAllText(Path.Combine(folder, ModelManifest.OnnxFileName)));
        Assert.Equal("weight-bytes", File.ReadAllText(Path.Combine(folder, "exported.bin")));
        Assert.Equal(ModelFileHashes.Compute(trained.Graphs[0].File), manifest.Files[ModelManifest.OnnxFileName]);
        Assert.Equal(64, manifest.Files["exported.bin"].Length);
        Assert.Equal([new ModelGraph("model", ModelManifest.OnnxFileName)], manifest.Graphs);

        var json = File.ReadAllText(Path.Combine(folder, ModelManifest.FileName));
        Assert.Contains("\n  \"name\": \"squares\"", json, StringComparison.Ordinal);
        var element = JsonDocument.Parse(json).RootElement;
        Assert.Equal(ModelManifest.CurrentSchemaVersion, element.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(2, element.GetProperty("input").GetProperty("channels").GetInt32());
        Assert.Single(Directory.GetDirectories(Path.Combine(Root, "squares"))); // no staging folder left behind
    }

    [Fact]
    public async Task Versions_increment_and_list_find_and_delete_see_them()
    {
        var registry = new FileModelRegistry(Root);
        await registry.RegisterAsync("b-model", Trained(), null, null, CancellationToken.None);
        await registry.RegisterAsync("a-model", Trained(), null, null, CancellationToken.None);
        await registry.RegisterAsync("a-model", Trained(), null, null, CancellationToken.None);
        var third = await registry.RegisterAsync("a-model", Trained(), null, null, CancellationToken.None);

        Assert.Equal(3, third.Version);
        Assert.Equal(["a-model/3", "a-model/2", "a-model/1", "b-model/1"], registry.List().Select(m => $"{m.Name}/{m.Version}"));
        Assert.Equal(3, registry.Find("a-model")!.Version);
        Assert.Equal(2, registry.Find("a-model", 2)!.Version);
        Assert.Null(registry.Find("a-model", 9));
        Assert.Null(registry.Find("nothing"));

        Assert.True(await registry.DeleteAsync("a-model", 3, CancellationToken.None));
        Assert.False(await registry.DeleteAsync("a-model", 3, CancellationToken.None));
        Assert.Equal(2, registry.Find("a-model")!.Version);
        Assert.True(await registry.DeleteAsync("a-model", null, CancellationToken.None));
        Assert.False(await registry.DeleteAsync("a-model", null, CancellationToken.None));
        Assert.Equal(["b-model/1"], registry.List().Select(m => $"{m.Name}/{m.Version}"));
        Assert.False(Directory.Exists(Path.Combine(Root, "a-model")));
        Assert.DoesNotContain(Directory.GetDirectories(Root), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task Registered_and_deleted_events_carry_the_manifest_and_the_removed_versions()
    {
        var registry = new FileModelRegistry(Root);
        var registered = new List<ModelManifest>();
        var deleted = new List<string>();
        registry.Registered += (_, e) => registered.Add(e.Manifest);
        registry.Deleted += (_, e) => deleted.Add($"{e.Name}:{string.Join(',', e.Versions)}");

        await registry.RegisterAsync("m", Trained(), null, null, CancellationToken.None);
        await registry.RegisterAsync("m", Trained(), null, null, CancellationToken.None);
        await registry.DeleteAsync("m", 1, CancellationToken.None);
        await registry.DeleteAsync("m", null, CancellationToken.None);
        await registry.DeleteAsync("m", null, CancellationToken.None);

        Assert.Equal([1, 2], registered.Select(m => m.Version));
        Assert.Equal(["m:1", "m:2"], deleted);
    }

    [Fact]
    public async Task Eight_parallel_registrations_of_one_name_get_eight_distinct_versions()
    {
        var registry = new FileModelRegistry(Root);
        var trained = Enumerable.Range(0, 8).Select(i => Trained($"onnx-{i}", $"weights-{i}")).ToList();

        var manifests = await Task.WhenAll(trained.Select(t => Task.Run(() => registry.RegisterAsync("parallel", t, null, null, CancellationToken.None))));

        Assert.Equal(Enumerable.Range(1, 8), manifests.Select(m => m.Version).Order());
        Assert.Equal(8, registry.List().Count);
        foreach (var manifest in manifests)
        {
            Assert.Empty(registry.VerifyFiles(manifest)); // each version holds its own files, not a neighbour's
        }
    }

    [Fact]
    public async Task Two_registry_instances_on_one_folder_never_publish_the_same_version()
    {
        // Two processes (the service and the train command) share the folder but not a lock: the atomic move decides.
        var first = new FileModelRegistry(Root);
        var second = new FileModelRegistry(Root);

        var manifests = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => (i % 2 == 0 ? first : second).RegisterAsync("shared", Trained(), null, null, CancellationToken.None))));

        Assert.Equal(Enumerable.Range(1, 8), manifests.Select(m => m.Version).Order());
    }

    [Fact]
    public async Task A_version_folder_without_a_valid_manifest_is_reported_unreadable_not_listed_and_not_reused()
    {
        var registry = new FileModelRegistry(Root);
        await registry.RegisterAsync("half", Trained(), null, null, CancellationToken.None);
        var halfWritten = Directory.CreateDirectory(Path.Combine(Root, "half", "2")).FullName;
        File.WriteAllText(Path.Combine(halfWritten, ModelManifest.OnnxFileName), "partial");
        var broken = Directory.CreateDirectory(Path.Combine(Root, "half", "3")).FullName;
        File.WriteAllText(Path.Combine(broken, ModelManifest.FileName), "{ \"name\": ");
        Directory.CreateDirectory(Path.Combine(Root, "half", "04"));
        Directory.CreateDirectory(Path.Combine(Root, "half", ".staging-abc"));
        Directory.CreateDirectory(Path.Combine(Root, "Not-A-Name"));

        Assert.Equal([1], registry.List().Select(m => m.Version));
        Assert.Equal(1, registry.Find("half")!.Version);
        Assert.Null(registry.Find("half", 2));
        Assert.Null(registry.Find("half", 3));

        Assert.Equal([new UnreadableModelVersion("half", 3), new UnreadableModelVersion("half", 2)], registry.Unreadable());
        Assert.Equal(["Not-A-Name", "half/04"], registry.IgnoredFolders().Select(p => p.Folder));

        var next = await registry.RegisterAsync("half", Trained(), null, null, CancellationToken.None);
        Assert.Equal(4, next.Version);
    }

    [Fact]
    public async Task A_manifest_whose_name_or_version_disagrees_with_its_folder_is_ignored()
    {
        var registry = new FileModelRegistry(Root);
        var manifest = await registry.RegisterAsync("moved", Trained(), null, null, CancellationToken.None);
        var copy = Directory.CreateDirectory(Path.Combine(Root, "moved", "7")).FullName;
        File.WriteAllBytes(Path.Combine(copy, ModelManifest.FileName), ModelManifestJson.Serialize(manifest));

        Assert.Null(new FileModelRegistry(Root).Find("moved", 7));
        Assert.Equal([new UnreadableModelVersion("moved", 7)], new FileModelRegistry(Root).Unreadable());
    }

    [Fact]
    public async Task Listing_by_name_reads_only_that_model()
    {
        var registry = new FileModelRegistry(Root);
        await registry.RegisterAsync("a", Trained(), null, null, CancellationToken.None);
        await registry.RegisterAsync("a", Trained(), null, null, CancellationToken.None);
        await registry.RegisterAsync("b", Trained(), null, null, CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(Root, "b", "2"));

        Assert.Equal([("a", 2), ("a", 1)], registry.List("a").Select(m => (m.Name, m.Version)));
        Assert.Equal([("a", 2), ("a", 1), ("b", 1)], registry.List().Select(m => (m.Name, m.Version)));
        Assert.Empty(registry.Unreadable("a"));
        Assert.Equal([new UnreadableModelVersion("b", 2)], registry.Unreadable("b"));
        Assert.Empty(registry.List("Not A Name"));
        Assert.Empty(registry.List("missing"));
    }

    [Fact]
    public async Task Deleting_removes_an_unreadable_version_too()
    {
        var registry = new FileModelRegistry(Root);
        await registry.RegisterAsync("damaged", Trained(), null, null, CancellationToken.None);
        File.WriteAllText(Path.Combine(registry.VersionDirectory("damaged", 1), ModelManifest.FileName), "{");
        var reopened = new FileModelRegistry(Root); // a manifest is cached once read: damage shows at the next start

        Assert.True(await reopened.DeleteAsync("damaged", 1, CancellationToken.None));

        Assert.Empty(reopened.Unreadable());
        Assert.False(Directory.Exists(Path.Combine(Root, "damaged")));
    }

    [Fact]
    public async Task VerifyFiles_names_a_changed_file_and_a_missing_file()
    {
        var registry = new FileModelRegistry(Root);
        var manifest = await registry.RegisterAsync("verify", Trained(), null, null, CancellationToken.None);
        Assert.Empty(registry.VerifyFiles(manifest));

        var folder = registry.VersionDirectory("verify", 1);
        File.AppendAllText(Path.Combine(folder, ModelManifest.OnnxFileName), "!");
        var changed = Assert.Single(registry.VerifyFiles(manifest));
        Assert.StartsWith("model.onnx: SHA-256 is ", changed, StringComparison.Ordinal);

        File.Delete(Path.Combine(folder, "exported.bin"));
        Assert.Equal(["exported.bin: missing", changed], registry.VerifyFiles(manifest));

        var escaping = manifest with { Files = new Dictionary<string, string> { [ModelManifest.OnnxFileName] = manifest.Files[ModelManifest.OnnxFileName], ["../../outside"] = new string('0', 64) } };
        Assert.Contains("../../outside: missing", registry.VerifyFiles(escaping));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("-leading-dash")]
    [InlineData(".hidden")]
    [InlineData("has space")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("x1234567890123456789012345678901234567890123456789012345678901234")]
    public async Task Invalid_names_are_refused_with_an_argument_exception_and_never_found(string name)
    {
        var registry = new FileModelRegistry(Root);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => registry.RegisterAsync(name, Trained(), null, null, CancellationToken.None));
        Assert.Contains("model name", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => registry.VersionDirectory(name, 1));
        Assert.Null(registry.Find(name));
        Assert.False(await registry.DeleteAsync(name, null, CancellationToken.None));
        Assert.Empty(Directory.GetFileSystemEntries(Root));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("resnet18.chest-xray_v2")]
    [InlineData("x123456789012345678901234567890123456789012345678901234567890123")]
    public void Valid_names_follow_the_rule(string name) => Assert.True(ModelName.IsValid(name));

    [Fact]
    public async Task Relative_or_missing_source_files_are_refused_before_anything_is_written()
    {
        var registry = new FileModelRegistry(Root);
        var trained = Trained();

        await Assert.ThrowsAsync<ArgumentException>(() => registry.RegisterAsync("m", trained with { Graphs = [new ModelGraph("model", "model.onnx")] }, null, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.RegisterAsync("m", trained with { OtherFiles = [trained.OtherFiles[0] + ".missing"] }, null, null, CancellationToken.None));
        Assert.Empty(registry.List());
    }

    [Fact]
    public async Task Trash_left_by_an_interrupted_delete_is_removed_at_the_next_start()
    {
        await new FileModelRegistry(Root).RegisterAsync("m", Trained(), null, null, CancellationToken.None);
        var trash = Directory.CreateDirectory(Path.Combine(Root, "m", ".trash-2-abc")).FullName;
        File.WriteAllText(Path.Combine(trash, "model.onnx"), "x");

        var registry = new FileModelRegistry(Root);

        Assert.False(Directory.Exists(trash));
        Assert.Single(registry.List());
    }

    [Fact]
    public async Task Undefined_metrics_survive_the_manifest_round_trip()
    {
        var registry = new FileModelRegistry(Root);
        var trained = Trained() with { Metrics = new Dictionary<string, double> { ["auc"] = double.NaN, ["accuracy"] = 0.75 } };

        await registry.RegisterAsync("nan", trained, null, null, CancellationToken.None);

        var reread = new FileModelRegistry(Root).Find("nan")!;
        Assert.True(double.IsNaN(reread.Metrics["auc"]));
        Assert.Equal(0.75, reread.Metrics["accuracy"]);
    }

    private TrainedModel Trained(string onnx = "onnx", string weights = "weights")
    {
        var output = Directory.CreateDirectory(Path.Combine(temp.FullName, "output", Guid.NewGuid().ToString("N"))).FullName;
        var onnxFile = Path.Combine(output, "exported.onnx");
        var weightsFile = Path.Combine(output, "exported.bin");
        File.WriteAllText(onnxFile, onnx);
        File.WriteAllText(weightsFile, weights);
        var input = new ModelInputSpec(2, 8, 8, InputNormalization.Window(2), AllowResize: true);
        return TrainedModel.Classifier(onnxFile, weightsFile, input, ["healthy", "lesion"], ["conv2"],
            new Dictionary<string, double> { ["accuracy"] = 0.9 });
    }
}
