using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.Rendering;

public class RawFloat32Tests
{
    [Fact]
    public void Values_are_written_little_endian_with_their_shape()
    {
        var array = RawFloat32.Encode([1f, -2f], 1, 2);

        Assert.Equal(new byte[] { 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0 }, array.Bytes);
        Assert.Equal([1, 2], array.Shape);
        Assert.Equal("1,2", array.ShapeText);
    }

    [Fact]
    public void Decoding_returns_the_values_bit_for_bit()
    {
        float[] values = [0f, -0f, float.Epsilon, float.MaxValue, float.NaN, float.NegativeInfinity];

        var decoded = RawFloat32.Decode(RawFloat32.Encode(values, 2, 3).Bytes);

        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), decoded.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_shape_that_does_not_hold_the_values_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => RawFloat32.Encode([1f, 2f, 3f], 2, 2));
        Assert.Throws<ArgumentException>(() => RawFloat32.Encode([1f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RawFloat32.Encode([1f], 1, 0));
    }
}
