using System.Net;
using ExplainApi.Core.Files;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.Uploads;
using Microsoft.Extensions.DependencyInjection;
using static ExplainApi.Host.Tests.Datasets.DatasetArchives;

namespace ExplainApi.Host.Tests.Uploads;

/// <summary>
/// Crash leftovers hold patient images: whatever a killed process left in the spool, in dataset staging
/// folders or in a model import folder is gone once the host has started; while running, stale spool entries
/// are swept by age on an injected clock; datasets are written 0700/0600.
/// </summary>
public sealed class SpoolSweepTests
{
    [Fact]
    public void Leftovers_planted_before_start_are_gone_once_the_host_has_started()
    {
        using var factory = new ClockFactory();
        var spool = Path.Combine(factory.DataDirectory, SpoolFolder.FolderName);
        var datasets = Path.Combine(factory.DataDirectory, "datasets");
        var planted = new[]
        {
            Plant(Path.Combine(spool, "0123.part")),
            Plant(Path.Combine(spool, "import-0123", "model.onnx")),
            Plant(Path.Combine(datasets, ".importing-ds_x-0123", "pixels.bin")),
            Plant(Path.Combine(datasets, ".uploads", "0123.zip")),
        };
        File.SetUnixFileMode(spool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        _ = factory.Services; // builds and starts the host

        Assert.All(planted, path => Assert.False(File.Exists(path), $"{path} survived the start"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(spool));
        Assert.False(Directory.Exists(Path.Combine(datasets, ".importing-ds_x-0123")));
        Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(spool));
    }

    [Fact]
    public void The_periodic_sweep_removes_an_old_spool_entry_and_keeps_a_fresh_one()
    {
        using var factory = new ClockFactory();
        var sweeper = factory.Services.GetRequiredService<SpoolSweeper>();
        var spool = factory.Services.GetRequiredService<SpoolFolder>();
        using var old = spool.CreateFile();
        var oldFolder = spool.CreateDirectory("import-");

        factory.Clock.Advance(TimeSpan.FromMinutes(61)); // past the default SpoolMaxAgeMinutes of 60
        using var fresh = spool.CreateFile();
        File.SetLastWriteTimeUtc(fresh.Name, factory.Clock.GetUtcNow().UtcDateTime);

        Assert.Equal(2, sweeper.SweepOld());
        Assert.False(File.Exists(old.Name));
        Assert.False(Directory.Exists(oldFolder));
        Assert.True(File.Exists(fresh.Name));
    }

    [Fact]
    public async Task A_dataset_upload_is_written_in_0700_folders_as_0600_files()
    {
        using var factory = new ClockFactory();
        var response = await factory.CreateClient(ExplainApiFactory.TrainKey).PostAsync("/v1/datasets", ZipContent(Zip(TwoClasses(2))));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var datasets = Path.Combine(factory.DataDirectory, "datasets");
        var folders = Directory.GetDirectories(datasets, "*", SearchOption.AllDirectories).Append(datasets).ToList();
        var files = Directory.GetFiles(datasets, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        Assert.All(folders, folder => Assert.Equal(PrivateFiles.DirectoryMode, File.GetUnixFileMode(folder)));
        Assert.All(files, file => Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(file)));
        MultipartBodies.AssertSpoolClean(factory);
    }

    private static string Plant(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1, 2, 3]);
        return path;
    }

    /// <summary>The application with a clock the test moves.</summary>
    private sealed class ClockFactory : ExplainApiFactory
    {
        public ManualClock Clock { get; } = new();

        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    private sealed class ManualClock : TimeProvider
    {
        private TimeSpan _offset;

        public void Advance(TimeSpan by) => _offset += by;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
    }
}
