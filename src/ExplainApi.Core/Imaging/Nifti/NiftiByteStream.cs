using System.IO.Compression;
using System.Runtime.InteropServices;

namespace ExplainApi.Core.Imaging.Nifti;

/// <summary>
/// Forward-only reading of a .nii (as is) or .nii.gz (inflated on the fly), counting the position in the
/// uncompressed file. Nothing is inflated beyond what a caller asks for, so a gzip bomb costs at most the
/// bytes the (limit-checked) header accounts for, through a fixed-size scratch buffer.
/// </summary>
internal sealed class NiftiByteStream : IDisposable
{
    private readonly Stream _input;
    private readonly SentinelInput? _sentinel;
    private readonly Stream _stream;
    private byte[]? _scratch;
    private long _imageEnd;

    public NiftiByteStream(ReadOnlyMemory<byte> data)
    {
        IsGzip = data.Span.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]); // RFC 1952 2.3.1: ID1 ID2
        _input = MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
        _sentinel = IsGzip ? new SentinelInput(_input) : null;
        _stream = _sentinel is null ? _input : new GZipStream(_sentinel, CompressionMode.Decompress);
    }

    public bool IsGzip { get; }

    /// <summary>Bytes of the uncompressed file consumed so far.</summary>
    public long Position { get; private set; }

    /// <summary>Fills <paramref name="buffer"/> and returns its length, or fewer bytes at the end of the file.</summary>
    public int ReadAtMost(Span<byte> buffer)
    {
        var total = 0;
        try
        {
            while (total < buffer.Length)
            {
                var read = _stream.Read(buffer[total..]);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (InvalidDataException ex) when (_sentinel?.SentinelServed == true)
        {
            throw CutBeforeTrailer(ex);
        }
        catch (InvalidDataException ex)
        {
            // The runtime's message names no cause ("unsupported compression method" for a bad CRC-32).
            throw new ImageDecodeException(ImageDecodeError.Malformed,
                $"The gzip stream is corrupt after {Position + total} uncompressed bytes (invalid deflate data, or a CRC-32 or size that does not match its trailer).", ex);
        }

        Position += total;
        return total;
    }

    /// <summary>Discards bytes up to uncompressed offset <paramref name="target"/>; false if the file ends first.</summary>
    public bool SkipTo(long target)
    {
        if (!IsGzip)
        {
            Position = _input.Seek(Math.Min(target, _input.Length), SeekOrigin.Begin);
            return Position == target;
        }

        _scratch ??= new byte[64 * 1024];
        while (Position < target)
        {
            var chunk = (int)Math.Min(_scratch.Length, target - Position);
            if (ReadAtMost(_scratch.AsSpan(0, chunk)) < chunk)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Called at the end of the image: reads on until the member holding it has ended and its CRC-32 and
    /// ISIZE were checked (see <see cref="SentinelInput"/>). Stops at the first byte of a following member,
    /// so data after the image is never inflated; when the input ends there, at most the sentinel is.
    /// </summary>
    public void VerifyGzipEnd()
    {
        if (_sentinel is null)
        {
            return;
        }

        _imageEnd = Position;
        _sentinel.Arm();
        Span<byte> tail = stackalloc byte[SentinelInput.Content.Length];
        Span<byte> next = stackalloc byte[1];
        var produced = 0;
        while (produced <= tail.Length && ReadAtMost(next) > 0)
        {
            if (!_sentinel.SentinelServed)
            {
                return; // a further member began, so zlib has checked the trailer of the image's member
            }

            tail[1..].CopyTo(tail);
            tail[^1] = next[0];
            produced++;
        }

        if (produced != tail.Length || !tail.SequenceEqual(SentinelInput.Content))
        {
            throw CutBeforeTrailer(null);
        }
    }

    private ImageDecodeException CutBeforeTrailer(Exception? inner) => new(ImageDecodeError.Truncated,
        $"The gzip stream ends before its trailer (CRC-32 and size) after {_imageEnd} uncompressed bytes: the file is truncated.", inner);

    public void Dispose()
    {
        _stream.Dispose();
        _input.Dispose();
    }
}
