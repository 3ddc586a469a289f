using ExplainApi.Core.Models;
using ExplainApi.Core.Storage;
using ExplainApi.Core.Tests.Storage;

namespace ExplainApi.Core.Tests.Models;

/// <summary>Registering the same content twice, and registering on a disk that fills up.</summary>
public sealed partial class FileModelRegistryTests
{
    [Fact]
    public async Task The_same_files_and_spec_reuse_the_version_and_anything_else_is_a_new_one()
    {
        var registry = new FileModelRegistry(Root);
        var first = await registry.RegisterOrReuseAsync("m", Trained("same"), null, null, CancellationToken.None);

        var again = await registry.RegisterOrReuseAsync("m", Trained("same"), null, null, CancellationToken.None);
        var otherBytes = await registry.RegisterOrReuseAsync("m", Trained("other"), null, null, CancellationToken.None);
        var otherClasses = await registry.RegisterOrReuseAsync("m", Trained("same") with { Classification = new ClassificationSection(["healthy", "tumour"], ["conv2"]) }, null, null, CancellationToken.None);
        var otherJob = await registry.RegisterOrReuseAsync("m", Trained("same"), "job_2", null, CancellationToken.None);
        var always = await registry.RegisterAsync("m", Trained("same"), null, null, CancellationToken.None);

        Assert.Equal((1, true), (first.Manifest.Version, first.Created));
        Assert.Equal((1, false), (again.Manifest.Version, again.Created));
        Assert.Equal(first.Manifest, again.Manifest);
        Assert.Equal([(2, true), (3, true), (4, true)], new[] { otherBytes, otherClasses, otherJob }.Select(r => (r.Manifest.Version, r.Created)));
        Assert.Equal(5, always.Version); // plain registration never reuses (a training run is a new version)
        Assert.Equal(["1", "2", "3", "4", "5"], Directory.GetDirectories(Path.Combine(Root, "m")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_disk_that_fills_mid_registration_leaves_no_folder_and_the_next_registration_works()
    {
        var disk = new FullDiskFiles(capacityBytes: 3);
        var registry = new FileModelRegistry(Root, files: disk);

        var full = await Assert.ThrowsAnyAsync<IOException>(() => registry.RegisterAsync("m", Trained("onnx-bytes"), null, null, CancellationToken.None));

        Assert.True(StorageFull.Is(full));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
        Assert.Empty(registry.List());
        disk.Free();
        Assert.Equal(1, (await registry.RegisterAsync("m", Trained("onnx-bytes"), null, null, CancellationToken.None)).Version);
    }

    [Fact]
    public async Task A_full_disk_at_the_manifest_leaves_nothing_either()
    {
        var registry = new FileModelRegistry(Root, files: new FullDiskFiles(capacityBytes: "onnx".Length + "weights".Length));

        var full = await Assert.ThrowsAnyAsync<IOException>(() => registry.RegisterAsync("m", Trained(), null, null, CancellationToken.None));

        Assert.True(StorageFull.Is(full));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
    }
}
