using ExplainApi.Core.Datasets;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Storage;
using ExplainApi.Core.Tests.Storage;
using static ExplainApi.Core.Tests.Datasets.TestArchives;

namespace ExplainApi.Core.Tests.Datasets;

/// <summary>
/// The stored size of an import (8 images of 1×8×8 float32 = 2 048 bytes here) is predicted and refused or claimed
/// before a byte is written; a disk that fills anyway leaves no folder behind.
/// </summary>
public sealed class DatasetStorageTests : IDisposable
{
    private const long Predicted = 8 * 8 * 8 * sizeof(float);
    private readonly string _root = Directory.CreateTempSubdirectory("datasets-storage-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_per_upload_stored_size_limit_is_checked_before_a_byte_is_written()
    {
        var disk = new FullDiskFiles(long.MaxValue);

        var refused = Assert.Throws<DatasetImportException>(() => Import(new UploadedDatasetStore(_root), disk, new ZipImportLimits { MaxStoredBytes = 1000 }));

        Assert.Equal(DatasetImportError.TooLarge, refused.Error);
        Assert.Contains($"its 8 images need up to {Predicted} bytes", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, disk.Written);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Fact]
    public void The_total_quota_counts_stored_datasets_and_imports_in_flight()
    {
        var store = new UploadedDatasetStore(_root, maxTotalStoredBytes: 3 * Predicted);
        Import(store, DiskFiles.Instance);
        var used = store.StoredBytes();
        Assert.InRange(used, Predicted, 2 * Predicted); // pixels plus index.json

        using (store.Claim(3 * Predicted - used - 1))
        {
            var refused = Assert.Throws<DatasetImportException>(() => Import(store, DiskFiles.Instance));
            Assert.Equal(DatasetImportError.QuotaExceeded, refused.Error);
            Assert.Equal($"Uploaded datasets may store {3 * Predicted} bytes together; {3 * Predicted - 1} are in use and this one needs up to {Predicted}. " +
                "Delete datasets you no longer need, or send fewer or smaller images.", refused.Message);
        }

        Import(store, DiskFiles.Instance); // the claim was released
        Assert.Equal(2, store.List().Count);
    }

    [Fact]
    public void Too_little_free_space_beyond_the_reserve_is_refused_before_a_byte_is_written()
    {
        var disk = new FullDiskFiles(long.MaxValue);
        var store = new UploadedDatasetStore(_root, disk: new StorageReserve(_root, minFreeBytes: 1000, available: _ => 1000 + Predicted - 1));

        var refused = Assert.Throws<InsufficientStorageException>(() => Import(store, disk));

        Assert.Equal((Predicted, Predicted - 1), (refused.RequiredBytes, refused.AvailableBytes));
        Assert.Equal(0, disk.Written);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
        using var released = store.Claim(Predicted - 1); // the refused import holds nothing
    }

    [Fact]
    public void A_disk_that_fills_mid_import_leaves_no_folder_and_the_next_import_works()
    {
        var disk = new FullDiskFiles(capacityBytes: 1000);
        var store = new UploadedDatasetStore(_root);

        var full = Assert.ThrowsAny<IOException>(() => Import(store, disk));

        Assert.True(StorageFull.Is(full));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
        Assert.Empty(store.List());
        disk.Free();
        Assert.Equal(8, Import(store, disk).Count);
    }

    private static DatasetIndex Import(UploadedDatasetStore store, IStorageFiles files, ZipImportLimits? limits = null)
    {
        var importer = new ZipDatasetImporter(TestPngDecoder.Reader(), ImageLimits.Default, limits ?? ZipImportLimits.Default, TimeProvider.System, files);
        var id = DatasetIds.New();
        using var zip = new MemoryStream(Zip(TwoClasses(4)), writable: false);
        return importer.Import(zip, store.DirectoryOf(id), new DatasetImportOptions { Id = id, Name = "test" }, store, CancellationToken.None);
    }
}
