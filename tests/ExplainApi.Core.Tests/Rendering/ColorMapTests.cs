using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.Rendering;

public class ColorMapTests
{
    private static (int R, int G, int B) Entry(ColorMap map, int i) => (map.Table[3 * i], map.Table[(3 * i) + 1], map.Table[(3 * i) + 2]);

    // CIELAB L* of an 8-bit sRGB colour (IEC 61966-2-1 decoding, Rec. 709 luminance, CIE 15:2004).
    private static double Lightness((int R, int G, int B) c)
    {
        static double Linear(int v) => v / 255.0 <= 0.04045 ? v / 255.0 / 12.92 : Math.Pow(((v / 255.0) + 0.055) / 1.055, 2.4);
        var y = (0.2126 * Linear(c.R)) + (0.7152 * Linear(c.G)) + (0.0722 * Linear(c.B));
        return y > 216.0 / 24389 ? (116 * Math.Cbrt(y)) - 16 : y * 24389 / 27;
    }

    [Fact]
    public void Inferno_and_viridis_have_matplotlibs_end_points()
    {
        Assert.Equal((0, 0, 4), Entry(ColorMap.Inferno, 0));
        Assert.Equal((188, 55, 84), Entry(ColorMap.Inferno, 128));
        Assert.Equal((252, 255, 164), Entry(ColorMap.Inferno, 255));
        Assert.Equal((68, 1, 84), Entry(ColorMap.Viridis, 0));
        Assert.Equal((33, 145, 140), Entry(ColorMap.Viridis, 128));
        Assert.Equal((253, 231, 37), Entry(ColorMap.Viridis, 255));
    }

    [Theory]
    [InlineData("inferno", 0.0)]
    // Rounding viridis to 8 bits leaves two steps about 0.03 L* darker than their neighbour.
    [InlineData("viridis", 0.05)]
    public void Sequential_maps_get_lighter_at_every_step(string name, double roundingSlack)
    {
        var map = ColorMap.Get(name);
        for (var i = 1; i < ColorMap.Size; i++)
        {
            Assert.True(Lightness(Entry(map, i)) > Lightness(Entry(map, i - 1)) - roundingSlack, $"{name}[{i}] is darker than [{i - 1}]");
        }

        Assert.InRange(Lightness(Entry(map, 255)) - Lightness(Entry(map, 0)), 60, 100);
    }

    [Fact]
    public void Coolwarm_runs_from_morelands_blue_through_light_grey_to_his_red()
    {
        var map = ColorMap.CoolWarm;
        Assert.True(map.IsDiverging);
        Assert.Equal((59, 76, 192), Entry(map, 0));
        Assert.Equal((180, 4, 38), Entry(map, 255));
        // The white point of the paper: M = 88, s = 0, i.e. L* = 88, an sRGB grey of about 221.
        foreach (var i in new[] { 127, 128 })
        {
            var (r, g, b) = Entry(map, i);
            Assert.InRange(r, 216, 224);
            Assert.InRange(g, 216, 224);
            Assert.InRange(b, 216, 224);
        }

        // Moreland's published table (and matplotlib's 'coolwarm', sampled from it) at 0.25 and 0.75.
        AssertNear((141, 176, 254), Entry(map, 64), 3);
        AssertNear((244, 152, 122), Entry(map, 191), 3);
    }

    [Fact]
    public void Coolwarm_is_symmetric_in_lightness_and_darkest_at_its_ends()
    {
        var map = ColorMap.CoolWarm;
        for (var i = 0; i < 128; i++)
        {
            Assert.InRange(Lightness(Entry(map, i)) - Lightness(Entry(map, 255 - i)), -1.5, 1.5);
        }

        Assert.True(Lightness(Entry(map, 0)) < Lightness(Entry(map, 64)));
        Assert.True(Lightness(Entry(map, 64)) < Lightness(Entry(map, 128)));
    }

    [Fact]
    public void Maps_are_found_by_name_ignoring_case()
    {
        Assert.Same(ColorMap.Inferno, ColorMap.Get("INFERNO"));
        Assert.Same(ColorMap.CoolWarm, ColorMap.Get("CoolWarm"));
        Assert.Equal(["inferno", "viridis", "coolwarm"], ColorMap.Names);
        Assert.False(ColorMap.TryGet("jet", out _));
        // The pattern a caller with a default uses; it must compile without a nullable warning.
        var map = ColorMap.Inferno;
        if (!ColorMap.TryGet("Viridis", out map))
        {
            Assert.Fail("viridis not found");
        }

        Assert.Equal("viridis", map.Name);
        Assert.False(ColorMap.TryGet(null, out _));
        Assert.Throws<ArgumentException>(() => ColorMap.Get("jet"));
    }

    [Fact]
    public void Values_pick_the_nearest_entry_and_are_clamped()
    {
        var map = ColorMap.Inferno;
        Assert.Equal(map[0f], map[-3f]);
        Assert.Equal(map[1f], map[7f]);
        Assert.Equal(map[0f], map[float.NaN]);
        Assert.Equal(((byte)188, (byte)55, (byte)84), map[128f / 255]);
        var rgb = new byte[6];
        map.Apply([0f, 1f], rgb);
        Assert.Equal(new byte[] { 0, 0, 4, 252, 255, 164 }, rgb);
    }

    private static void AssertNear((int R, int G, int B) expected, (int R, int G, int B) actual, int tolerance)
    {
        Assert.InRange(actual.R, expected.R - tolerance, expected.R + tolerance);
        Assert.InRange(actual.G, expected.G - tolerance, expected.G + tolerance);
        Assert.InRange(actual.B, expected.B - tolerance, expected.B + tolerance);
    }
}
