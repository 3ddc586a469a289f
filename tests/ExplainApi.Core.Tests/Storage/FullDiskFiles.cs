using ExplainApi.Core.Storage;

namespace ExplainApi.Core.Tests.Storage;

/// <summary>
/// Real files on disk, but the volume "fills" after <see cref="CapacityBytes"/> bytes written through it in total:
/// the write that crosses it stores what fits and throws the IOException .NET throws for ENOSPC (as writing to
/// /dev/full shows: HResult 28 on Linux). <see cref="Free"/> makes room again.
/// </summary>
public sealed class FullDiskFiles(long capacityBytes) : IStorageFiles
{
    private long _written;

    public long CapacityBytes { get; private set; } = capacityBytes;

    public long Written => Interlocked.Read(ref _written);

    public static IOException NoSpace(string path) =>
        new($"No space left on device : '{path}'", OperatingSystem.IsWindows() ? unchecked((int)0x80070070) : StorageFull.NoSpaceErrno);

    public void Free() => CapacityBytes = long.MaxValue;

    public Stream CreateNew(string path, bool useAsync = false) =>
        new Filling(this, path, DiskFiles.Instance.CreateNew(path, useAsync));

    private sealed class Filling(FullDiskFiles disk, string path, Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var room = (int)Math.Clamp(disk.CapacityBytes - disk.Written, 0, buffer.Length);
            inner.Write(buffer[..room]);
            Interlocked.Add(ref disk._written, room);
            if (room < buffer.Length)
            {
                throw NoSpace(path);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush() => DiskFiles.FlushToDisk(inner);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
