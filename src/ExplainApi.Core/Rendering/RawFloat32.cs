using System.Buffers.Binary;

namespace ExplainApi.Core.Rendering;

/// <summary>A float32 array as bytes plus its shape (row-major, last index fastest).</summary>
public sealed record RawFloat32Array(IReadOnlyList<int> Shape, byte[] Bytes)
{
    /// <summary>The shape as "d0,d1,...", e.g. for a response header.</summary>
    public string ShapeText => string.Join(',', Shape);
}

/// <summary>
/// Raw little-endian IEEE-754 float32 output for clients that want the numbers, not a picture:
/// <c>numpy.frombuffer(body, "&lt;f4").reshape(shape)</c> reads it back. Little-endian is written
/// explicitly so the format does not depend on the server's CPU.
/// </summary>
public static class RawFloat32
{
    public const string MediaType = "application/octet-stream";

    public static RawFloat32Array Encode(ReadOnlySpan<float> values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(d, nameof(shape));
            count *= d;
        }

        if (shape.Length == 0 || count != values.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(',', shape)}] does not hold {values.Length} values.", nameof(shape));
        }

        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return new RawFloat32Array([.. shape], bytes);
    }

    /// <summary>The values back from bytes written by <see cref="Encode"/>.</summary>
    public static float[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new ArgumentException("Length is not a multiple of 4.", nameof(bytes));
        }

        var values = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }

        return values;
    }
}
