using System.Buffers.Binary;

namespace ExplainApi.Dicom.Tests;

/// <summary>Byte-level damage to tool-made files, the way a broken network or disk would do it.</summary>
internal static class CorruptFiles
{
    /// <summary>Offset and length of the first fragment after the Basic Offset Table (explicit VR little endian).</summary>
    public static (int Offset, int Length) FirstFragment(byte[] file)
    {
        var pixelData = file.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B']);
        Assert.True(pixelData > 0, "no encapsulated Pixel Data");
        var offsetTable = pixelData + 12;
        var fragment = offsetTable + 8 + BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(offsetTable + 4));
        return (fragment + 8, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(fragment + 4)));
    }

    /// <summary>Replaces the first fragment's bytes (its item length follows), keeping the file well-formed DICOM.</summary>
    public static byte[] WithFirstFragment(byte[] file, Func<byte[], byte[]> change)
    {
        var (offset, length) = FirstFragment(file);
        var fragment = change(file.AsSpan(offset, length).ToArray());
        if (fragment.Length % 2 == 1)
        {
            fragment = [.. fragment, 0];
        }

        var lengthField = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(lengthField, fragment.Length);
        return [.. file.AsSpan(0, offset - 4), .. lengthField, .. fragment, .. file.AsSpan(offset + length)];
    }

    /// <summary>XORs every <paramref name="step"/>-th byte in [from, to) with 0xFF.</summary>
    public static byte[] Flip(byte[] bytes, int from, int to, int step)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = from; i < to; i += step)
        {
            copy[i] ^= 0xFF;
        }

        return copy;
    }
}
