using System.Buffers.Binary;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.Rendering;

public class HeatmapRendererTests
{
    [Fact]
    public void Min_max_maps_the_range_onto_0_to_1()
    {
        Assert.Equal([0f, 0.5f, 1f, 0.25f], HeatmapRenderer.Normalize([2f, 4f, 6f, 3f], HeatmapScaling.MinMax));
    }

    [Fact]
    public void Symmetric_keeps_zero_at_the_centre()
    {
        Assert.Equal([0f, 0.5f, 0.75f], HeatmapRenderer.Normalize([-2f, 0f, 1f], HeatmapScaling.Symmetric));
        Assert.Equal([0.5f, 1f], HeatmapRenderer.Normalize([0f, 3f], HeatmapScaling.Symmetric));
    }

    [Fact]
    public void Non_finite_values_and_constant_maps_come_out_at_the_zero_level()
    {
        Assert.Equal([0f, 0f, 1f, 0f], HeatmapRenderer.Normalize([1f, float.NaN, 3f, float.PositiveInfinity], HeatmapScaling.MinMax));
        Assert.Equal([0f, 0f], HeatmapRenderer.Normalize([5f, 5f], HeatmapScaling.MinMax));
        Assert.Equal([0.5f, 0.5f], HeatmapRenderer.Normalize([0f, float.NaN], HeatmapScaling.Symmetric));
        Assert.Equal([0f, 1f], HeatmapRenderer.Normalize([-float.MaxValue, float.MaxValue], HeatmapScaling.MinMax));
    }

    [Fact]
    public void The_png_holds_the_colour_map_entries_of_the_normalised_values()
    {
        var png = PngTestReader.Read(HeatmapRenderer.RenderPng([10f, 15f, 20f], 1, 3, ColorMap.Inferno));

        Assert.Equal((3, 1, 8, 2), (png.Width, png.Height, png.BitDepth, png.ColourType));
        Assert.Equal(new byte[] { 0, 0, 4, 188, 55, 84, 252, 255, 164 }, png.Samples);
    }

    [Fact]
    public void A_diverging_map_scales_symmetrically_by_default()
    {
        var png = PngTestReader.Read(HeatmapRenderer.RenderPng([-1f, 0f, 4f], 1, 3, ColorMap.CoolWarm));

        // -1 of max |v| = 4 -> 0.375 -> entry 96; 0 -> entry 128; 4 -> entry 255.
        var table = ColorMap.CoolWarm.Table;
        Assert.Equal([.. table.Slice(96 * 3, 3), .. table.Slice(128 * 3, 3), .. table.Slice(255 * 3, 3)], png.Samples);
    }

    [Fact]
    public void The_grey16_png_spans_all_16_bit_levels()
    {
        var png = PngTestReader.Read(HeatmapRenderer.RenderGrey16Png([0f, 1f, 2f, 4f], 2, 2));

        Assert.Equal((2, 2, 16, 0), (png.Width, png.Height, png.BitDepth, png.ColourType));
        var levels = Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadUInt16BigEndian(png.Samples.AsSpan(i * 2)));
        // t = 0, 0.25, 0.5, 1 -> round(t * 65535), ties to even.
        Assert.Equal(new ushort[] { 0, 16384, 32768, 65535 }, levels);
    }

    [Theory]
    [InlineData(HeatmapScaling.MinMax)]
    [InlineData(HeatmapScaling.Symmetric)]
    public void Long_maps_normalise_exactly_as_the_per_value_formula(HeatmapScaling scaling)
    {
        // Lengths around the SIMD width, so both the vector loop and its scalar tail are checked, extremes anywhere.
        var random = new Random(7);
        foreach (var length in new[] { 2, 7, 8, 15, 16, 17, 33, 12_545 })
        {
            var map = Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 20) - 7)).ToArray();
            var (min, max) = (map.Min(), map.Max());
            var scale = scaling == HeatmapScaling.Symmetric ? 0.5 / Math.Max(Math.Abs((double)min), Math.Abs((double)max)) : 1.0 / ((double)max - min);
            var expected = map.Select(v => scaling == HeatmapScaling.Symmetric ? (float)(0.5 + (v * scale)) : (float)((v - (double)min) * scale));

            Assert.Equal(expected, HeatmapRenderer.Normalize(map, scaling));
        }
    }

    [Fact]
    public void A_long_map_with_a_nan_leaves_it_out_of_the_range()
    {
        var map = Enumerable.Range(0, 40).Select(i => (float)i).ToArray();
        map[21] = float.NaN;
        map[39] = float.PositiveInfinity;

        var normalized = HeatmapRenderer.Normalize(map, HeatmapScaling.MinMax);

        Assert.Equal((0f, 0f, 1f), (normalized[21], normalized[39], normalized[38]));
        Assert.Equal(20f / 38, normalized[20], 1e-7f);
    }

    [Fact]
    public void A_map_that_does_not_match_its_shape_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => HeatmapRenderer.RenderPng([1f, 2f], 2, 2, ColorMap.Viridis));
    }
}
