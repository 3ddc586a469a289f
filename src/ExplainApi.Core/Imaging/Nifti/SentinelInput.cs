using System.IO.Compression;

namespace ExplainApi.Core.Imaging.Nifti;

/// <summary>
/// The compressed bytes of a .nii.gz, followed (once <see cref="Arm"/> is called) by one small gzip member
/// of known content. .NET's GZipStream answers a stream cut anywhere (mid-deflate, mid-trailer) with a
/// quiet end of data, and checks a member's CRC-32 and ISIZE only when it reaches them (RFC 1952 2.3.1).
/// With the sentinel behind the input, a complete stream ends by decoding exactly the sentinel's
/// content, while a cut one swallows the sentinel's bytes into its unfinished member and fails or
/// produces something else: that is how a truncated trailer is told from a complete one, for single- and
/// multi-member (e.g. BGZF) files alike, without inflating anything after the image.
/// </summary>
internal sealed class SentinelInput(Stream input) : Stream
{
    public static ReadOnlySpan<byte> Content => "NIfTI-end"u8;

    private static readonly byte[] Member = Compress(Content);
    private int _served = -1;

    /// <summary>True once the inflater has consumed every byte of the input and asked for more.</summary>
    public bool SentinelServed => _served > 0;

    public void Arm() => _served = Math.Max(_served, 0);

    public override int Read(Span<byte> buffer)
    {
        var read = input.Read(buffer);
        if (read > 0 || _served < 0 || buffer.IsEmpty)
        {
            return read;
        }

        var count = Math.Min(buffer.Length, Member.Length - _served);
        Member.AsSpan(_served, count).CopyTo(buffer);
        _served += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.Dispose();
        }

        base.Dispose(disposing);
    }

    private static byte[] Compress(ReadOnlySpan<byte> content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }
}
