using ExplainApi.Core.Storage;

namespace ExplainApi.Core.Tests.Storage;

public sealed class StorageFullTests
{
    [Fact]
    public void What_dotnet_throws_for_a_full_device_is_recognised_and_is_what_the_test_double_throws()
    {
        // /dev/full answers every write with ENOSPC: the real exception, not one we construct.
        var real = Assert.ThrowsAny<IOException>(() =>
        {
            using var stream = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            stream.Write(new byte[16]);
        });

        Assert.True(StorageFull.Is(real));
        Assert.Equal(real.HResult, FullDiskFiles.NoSpace("x").HResult);
        Assert.Equal(StorageFull.NoSpaceErrno, real.HResult);
    }

    [Fact]
    public void Only_full_disk_kinds_count()
    {
        Assert.True(StorageFull.Is(new IOException("quota", StorageFull.QuotaErrno)));
        Assert.True(StorageFull.Is(new InsufficientStorageException(10, 0)));
        Assert.True(StorageFull.Is(new AggregateException(FullDiskFiles.NoSpace("x"))));
        Assert.False(StorageFull.Is(new FileNotFoundException("gone")));
        Assert.False(StorageFull.Is(new IOException("I/O error", 5)));
        Assert.False(StorageFull.Is(new InvalidOperationException("no", new UnauthorizedAccessException())));
        Assert.False(StorageFull.Is(null));
    }

    [Fact]
    public void The_reserve_admits_what_fits_beyond_it_and_counts_claims_until_they_are_released()
    {
        var reserve = new StorageReserve("/data", minFreeBytes: 100, available: _ => 1000);

        var first = reserve.Claim(600);
        var refused = Assert.Throws<InsufficientStorageException>(() => reserve.Claim(301));
        Assert.Equal((301, 300), (refused.RequiredBytes, refused.AvailableBytes));
        first.Dispose();
        first.Dispose(); // releasing twice frees once
        using var second = reserve.Claim(900);
        Assert.Throws<InsufficientStorageException>(() => reserve.Claim(1));
    }

    [Fact]
    public void Free_space_is_read_for_a_folder_that_does_not_exist_yet()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "datasets");
        var volume = new DriveInfo(Path.GetTempPath()).AvailableFreeSpace; // others may write meanwhile: same volume, not the same byte
        Assert.InRange(DiskSpace.Available(missing), volume - (1L << 30), volume + (1L << 30));
    }
}
