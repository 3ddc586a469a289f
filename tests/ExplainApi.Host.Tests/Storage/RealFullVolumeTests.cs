using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Storage;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Tests.Explaining;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static ExplainApi.Host.Tests.Datasets.DatasetArchives;
using static ExplainApi.Host.Tests.Explaining.ModelImportTests;

namespace ExplainApi.Host.Tests.Storage;

/// <summary>
/// The kernel's own ENOSPC, not a constructed one: the data folder is a 2 MiB tmpfs (as root), filled by another
/// writer between our free-space check and our first write. Without the privilege to mount, the files are still
/// created where they would be but their bytes go to /dev/full, which answers every write with ENOSPC.
/// </summary>
public sealed class RealFullVolumeTests
{
    [Fact]
    public async Task The_kernels_ENOSPC_is_507_with_nothing_left_and_uploads_work_again_once_space_is_freed()
    {
        using var volume = SmallVolume.Create();
        var files = new FillingWriter(volume);
        using var factory = new SmallVolumeFactory(volume.Path, files);
        var train = factory.CreateClient(ExplainApiFactory.TrainKey);
        var admin = factory.CreateClient(ExplainApiFactory.AdminKey);
        var zip = Zip(TwoClasses(3));

        files.Armed = true;
        await ProblemAssert.IsProblemAsync(await train.PostAsync("/v1/datasets", ZipContent(zip)), HttpStatusCode.InsufficientStorage, ProblemTypes.InsufficientStorage);
        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec())),
            HttpStatusCode.InsufficientStorage, ProblemTypes.InsufficientStorage);

        Assert.True(files.Filled > 0, "the volume was never filled");
        StorageFullTests.AssertNothingStored(volume.Path);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(volume.Path, "models")));
        Assert.Empty((await train.GetFromJsonAsync<JsonElement>("/v1/datasets")).GetProperty("uploaded").EnumerateArray());
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/v1/models")).GetProperty("models").EnumerateArray());

        files.Armed = false;
        volume.Free();
        Assert.Equal(HttpStatusCode.Created, (await train.PostAsync("/v1/datasets", ZipContent(zip))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec()))).StatusCode);
    }

    /// <summary>A 2 MiB tmpfs when this process may mount one; otherwise a plain folder whose "full disk" is /dev/full.</summary>
    private sealed class SmallVolume : IDisposable
    {
        private SmallVolume(string path, bool mounted) => (Path, Mounted) = (path, mounted);

        public string Path { get; }

        public bool Mounted { get; }

        private string Filler => System.IO.Path.Combine(Path, "filler");

        public static SmallVolume Create()
        {
            var path = Directory.CreateTempSubdirectory("explainapi-small-volume-").FullName;
            return new SmallVolume(path, Environment.IsPrivilegedProcess && Run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", path) == 0);
        }

        /// <summary>Writes a filler file until the kernel says ENOSPC; returns the bytes it took.</summary>
        public long Fill()
        {
            var chunk = new byte[64 * 1024];
            using var filler = new FileStream(Filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
            try
            {
                while (true)
                {
                    filler.Write(chunk);
                }
            }
            catch (IOException full) when (StorageFull.Is(full))
            {
                return filler.Length;
            }
        }

        public void Free() => File.Delete(Filler);

        public void Dispose()
        {
            if (Mounted)
            {
                Run("umount", "-l", Path);
            }

            Directory.Delete(Path, recursive: true);
        }

        private static int Run(string file, params string[] arguments)
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode;
        }
    }

    /// <summary>Once armed, the first file created fills the volume first (another writer got there after our check).</summary>
    private sealed class FillingWriter(SmallVolume volume) : IStorageFiles
    {
        public bool Armed { get; set; }

        public long Filled { get; private set; }

        public Stream CreateNew(string path, bool useAsync = false)
        {
            if (!Armed)
            {
                return DiskFiles.Instance.CreateNew(path, useAsync);
            }

            if (volume.Mounted)
            {
                Filled += volume.Fill();
                return DiskFiles.Instance.CreateNew(path, useAsync);
            }

            DiskFiles.Instance.CreateNew(path).Dispose(); // the file exists where it would, so its removal is checked too
            Filled++;
            return new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 4096, useAsync);
        }
    }

    private sealed class SmallVolumeFactory(string dataDirectory, IStorageFiles files) : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["ExplainApi:DataDirectory"] = dataDirectory,
            ["ExplainApi:Storage:MinFreeBytes"] = "0",
        };

        protected override void ConfigureTestServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton(files));
    }
}
