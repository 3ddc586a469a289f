namespace ExplainApi.Core.Rendering.Charts;

/// <summary>
/// The classic Tableau 10 categorical palette (Tableau Software, before its 2016 redesign), which is
/// matplotlib's default 'tab10' colour cycle and D3's schemeCategory10: ten hues that stay distinct
/// from one another on white, in the order matplotlib cycles them.
/// </summary>
internal static class ChartPalette
{
    private static readonly uint[] Tableau10 =
    [
        0x1F77B4, // blue
        0xFF7F0E, // orange
        0x2CA02C, // green
        0xD62728, // red
        0x9467BD, // purple
        0x8C564B, // brown
        0xE377C2, // pink
        0x7F7F7F, // grey
        0xBCBD22, // olive
        0x17BECF, // cyan
    ];

    /// <summary>The colour of the <paramref name="index"/>-th distinct series name; the palette repeats after ten.</summary>
    public static Rgb Colour(int index) => Rgb.FromHex(Tableau10[index % Tableau10.Length]);
}
