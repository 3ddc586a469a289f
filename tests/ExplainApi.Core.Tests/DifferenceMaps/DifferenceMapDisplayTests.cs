using System.Buffers.Binary;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Rendering;
using ExplainApi.Core.Tests.Rendering;

namespace ExplainApi.Core.Tests.DifferenceMaps;

public sealed class DifferenceMapDisplayTests
{
    [Fact]
    public void VA_GAN_maps_are_shown_negated_and_averaged_over_channels_CycleGAN_maps_as_they_are()
    {
        float[] map = [1f, -2f, 3f, 0f, /* second channel */ 3f, 0f, -1f, 4f];

        Assert.Equal([-2f, 1f, -1f, -2f], DifferenceMapDisplay.Plane(map, 2, 2, 2, DifferenceMapDisplay.Sign("vagan")));
        Assert.Equal([2f, -1f, 1f, 2f], DifferenceMapDisplay.Plane(map, 2, 2, 2, DifferenceMapDisplay.Sign("cyclegan")));
    }

    [Fact]
    public void The_16_bit_map_is_linear_with_zero_at_32768_and_the_largest_magnitude_at_an_end()
    {
        var png = DifferenceMapRenderer.SignedGrey16Png([0f, 0.5f, -1f, 0.25f], 2, 2, 2, 2, out var scale);

        var decoded = PngTestReader.Read(png);
        Assert.Equal((16, 0), (decoded.BitDepth, decoded.ColourType));
        var levels = Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadUInt16BigEndian(decoded.Samples.AsSpan(i * 2))).ToArray();
        Assert.Equal(1f, scale);
        Assert.Equal(new ushort[] { 32768, 32768 + 16384, 1, 32768 + 8192 }, levels);
    }

    [Fact]
    public void A_translation_is_denormalised_back_to_the_display_range()
    {
        var png = DifferenceMapRenderer.ModelImagePng([-1f, 0f, 1f, 3f], 1, 2, 2, InputNormalization.Window(1));

        var decoded = PngTestReader.Read(png);
        Assert.Equal((8, 0), (decoded.BitDepth, decoded.ColourType));
        Assert.Equal(new byte[] { 0, 128, 255, 255 }, decoded.Samples);
    }
}
