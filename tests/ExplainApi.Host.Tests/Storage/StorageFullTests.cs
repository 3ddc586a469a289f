using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Storage;
using ExplainApi.Core.Tests.Storage;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Tests.Explaining;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static ExplainApi.Host.Tests.Datasets.DatasetArchives;
using static ExplainApi.Host.Tests.Explaining.ModelImportTests;

namespace ExplainApi.Host.Tests.Storage;

/// <summary>
/// A data volume that fills up mid-write (through the <see cref="IStorageFiles"/> seam) or has too little room
/// up front: 507 problem details, nothing half-written or listed, and the next upload works once there is room.
/// </summary>
public sealed class StorageFullTests
{
    [Fact]
    public async Task A_dataset_upload_that_fills_the_disk_is_507_leaves_nothing_and_succeeds_once_space_is_freed()
    {
        var disk = new FullDiskFiles(capacityBytes: 1000); // 6 images of 1x16x20 float32 need 7 680 bytes
        using var factory = new VolumeFactory(disk);
        var client = factory.CreateClient(ExplainApiFactory.TrainKey);
        var zip = Zip(TwoClasses(3));

        var problem = await ProblemAssert.IsProblemAsync(await client.PostAsync("/v1/datasets", ZipContent(zip)),
            HttpStatusCode.InsufficientStorage, ProblemTypes.InsufficientStorage);

        Assert.Contains("nothing was kept", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1000, disk.Written); // it did run out mid-write
        AssertNothingStored(factory.DataDirectory);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/v1/datasets")).GetProperty("uploaded").EnumerateArray());
        Assert.DoesNotContain(factory.LogEvents, e => e.RenderMessage(null).Contains("No space left", StringComparison.Ordinal));

        disk.Free();
        var created = await client.PostAsync("/v1/datasets", ZipContent(zip));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/v1/datasets")).GetProperty("uploaded").EnumerateArray());
    }

    [Fact]
    public async Task A_model_import_that_fills_the_disk_is_507_registers_nothing_and_succeeds_once_space_is_freed()
    {
        var disk = new FullDiskFiles(capacityBytes: 100);
        using var factory = new VolumeFactory(disk);
        var admin = factory.CreateClient(ExplainApiFactory.AdminKey);

        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec())),
            HttpStatusCode.InsufficientStorage, ProblemTypes.InsufficientStorage);

        Assert.Equal(100, disk.Written);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataDirectory, "models")));
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/v1/models")).GetProperty("models").EnumerateArray());

        disk.Free();
        var created = await admin.PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec()));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.Equal("/v1/models/users-net/versions/1", created.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Uploads_that_would_not_leave_the_reserve_free_are_507_before_a_byte_is_written()
    {
        var disk = new FullDiskFiles(long.MaxValue);
        using var factory = new VolumeFactory(disk, minFreeBytes: long.MaxValue / 2); // more than any volume has
        var zip = Zip(TwoClasses(3));

        var dataset = await ProblemAssert.IsProblemAsync(await factory.CreateClient(ExplainApiFactory.TrainKey).PostAsync("/v1/datasets", ZipContent(zip)),
            HttpStatusCode.InsufficientStorage, ProblemTypes.InsufficientStorage);
        var model = await ProblemAssert.IsProblemAsync(
            await factory.CreateClient(ExplainApiFactory.AdminKey).PostAsync("/v1/models/import", Form(TinyConvNet.Imported(), Spec())),
            HttpStatusCode.InsufficientStorage, ProblemTypes.InsufficientStorage);

        Assert.Contains("(it needs 7680 bytes)", dataset.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains($"(it needs {TinyConvNet.Imported().Length} bytes)", model.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, disk.Written);
        AssertNothingStored(factory.DataDirectory);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataDirectory, "models")));
    }

    [Fact]
    public async Task A_dataset_past_the_total_quota_is_413_naming_the_quota_the_usage_and_its_size()
    {
        var disk = new FullDiskFiles(long.MaxValue);
        using var factory = new VolumeFactory(disk, maxTotalStoredBytes: 10_000);
        var client = factory.CreateClient(ExplainApiFactory.TrainKey);
        var first = await client.PostAsync("/v1/datasets", ZipContent(Zip(TwoClasses(3))));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var used = Directory.EnumerateFiles(Path.Combine(factory.DataDirectory, "datasets"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var written = disk.Written;

        var problem = await ProblemAssert.IsProblemAsync(await client.PostAsync("/v1/datasets", ZipContent(Zip(TwoClasses(3)))),
            HttpStatusCode.RequestEntityTooLarge, ProblemTypes.DatasetQuotaExceeded);

        Assert.Equal($"Uploaded datasets may store 10000 bytes together; {used} are in use and this one needs up to 7680. " +
            "Delete datasets you no longer need, or send fewer or smaller images.", problem.GetProperty("detail").GetString());
        Assert.Equal(written, disk.Written); // refused before a byte of it was stored
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/v1/datasets")).GetProperty("uploaded").EnumerateArray());
    }

    [Fact]
    public async Task A_full_disk_on_any_other_route_is_507_through_the_exception_handler()
    {
        using var factory = new FullDiskDecoderFactory();

        var response = await factory.CreateClient(ExplainApiFactory.InferKey)
            .PostAsync("/v1/images/inspect", TestImages.PngContent(TestImages.Gradient8(4, 4)));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InsufficientStorage, ProblemTypes.InsufficientStorage);
        Assert.Contains(factory.LogEvents, e => e.RenderMessage(null).Contains("data volume is full", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.LogEvents, e => e.RenderMessage(null).Contains("spool", StringComparison.Ordinal) || e.Exception is not null);
    }

    /// <summary>No dataset folder, no staging folder, no spooled upload.</summary>
    internal static void AssertNothingStored(string dataDirectory)
    {
        var root = Path.Combine(dataDirectory, "datasets");
        var left = Directory.Exists(root) ? Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories) : [];
        Assert.DoesNotContain(left, e => !(Directory.Exists(e) && Path.GetFileName(e) == ".uploads"));
    }

    private sealed class FullDiskDecoderFactory : ExplainApiFactory
    {
        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.Replace(ServiceDescriptor.Singleton(new ImageReader([new SpoolingDecoder()])));

        private sealed class SpoolingDecoder : IImageDecoder
        {
            public ImageFormat Format => ImageFormat.Png;

            public ImageTensor Decode(ReadOnlyMemory<byte> data, DecodeOptions options, ImageLimits limits) =>
                throw FullDiskFiles.NoSpace("/data/spool/upload-1");
        }
    }

    private sealed class VolumeFactory(IStorageFiles files, long minFreeBytes = 0, long? maxTotalStoredBytes = null) : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["ExplainApi:Storage:MinFreeBytes"] = minFreeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ExplainApi:Datasets:MaxTotalStoredBytes"] = Total.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ExplainApi:Datasets:MaxStoredBytes"] = Math.Min(Total, new Host.Datasets.DatasetsOptions().MaxStoredBytes).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        private long Total => maxTotalStoredBytes ?? new Host.Datasets.DatasetsOptions().MaxTotalStoredBytes;

        protected override void ConfigureTestServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton(files));
    }
}
