using System.Diagnostics.CodeAnalysis;

namespace ExplainApi.Core.Rendering;

/// <summary>
/// A 256-entry sRGB lookup table from [0, 1] to colour. Sequential maps (inferno, viridis) are for
/// maps of one sign, such as CAMs after ReLU; the diverging map (coolwarm) is for signed maps,
/// such as gradients or SHAP values, normalised so that 0.5 means zero.
/// </summary>
public sealed class ColorMap
{
    public const int Size = 256;

    private readonly byte[] _rgb;

    private ColorMap(string name, bool diverging, ReadOnlySpan<byte> rgb)
    {
        Name = name;
        IsDiverging = diverging;
        _rgb = rgb.ToArray();
    }

    /// <summary>Perceptually uniform, black to pale yellow (Smith and van der Walt, 2015).</summary>
    public static ColorMap Inferno { get; } = new("inferno", false, ColorMapTables.Inferno);

    /// <summary>Perceptually uniform, dark blue to yellow, matplotlib's default (Smith and van der Walt, 2015).</summary>
    public static ColorMap Viridis { get; } = new("viridis", false, ColorMapTables.Viridis);

    /// <summary>
    /// Moreland's smooth cool-warm (ISVC 2009), blue through light grey to red; matplotlib's
    /// 'coolwarm' samples the same map. Chosen over RdBu because its luminance changes smoothly with
    /// no dark ends, so an overlay's extremes do not hide the image.
    /// </summary>
    public static ColorMap CoolWarm { get; } = new("coolwarm", true, MorelandCoolWarm.Build(Size));

    /// <summary>The names <see cref="Get"/> accepts, lower case.</summary>
    public static IReadOnlyList<string> Names { get; } = [Inferno.Name, Viridis.Name, CoolWarm.Name];

    public string Name { get; }

    /// <summary>True for maps meant for signed data, centred on 0.5.</summary>
    public bool IsDiverging { get; }

    /// <summary>Interleaved R, G, B for entries 0 to 255.</summary>
    public ReadOnlySpan<byte> Table => _rgb;

    /// <summary>The map called <paramref name="name"/> (case-insensitive), or false.</summary>
    public static bool TryGet(string? name, [MaybeNullWhen(false)] out ColorMap map)
    {
        map = name?.ToLowerInvariant() switch
        {
            "inferno" => Inferno,
            "viridis" => Viridis,
            "coolwarm" => CoolWarm,
            _ => null,
        };
        return map is not null;
    }

    public static ColorMap Get(string name) => TryGet(name, out var map)
        ? map
        : throw new ArgumentException($"Unknown colour map '{name}'; known maps: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The colour of a normalised value: nearest entry; values outside [0, 1] are clamped, NaN maps to entry 0.</summary>
    public (byte R, byte G, byte B) this[float value]
    {
        get
        {
            var i = Index(value);
            return (_rgb[3 * i], _rgb[(3 * i) + 1], _rgb[(3 * i) + 2]);
        }
    }

    /// <summary>Colours normalised values into interleaved RGB (three bytes per value).</summary>
    public void Apply(ReadOnlySpan<float> normalized, Span<byte> rgb)
    {
        if (rgb.Length < normalized.Length * 3)
        {
            throw new ArgumentException("Destination needs three bytes per value.", nameof(rgb));
        }

        for (var p = 0; p < normalized.Length; p++)
        {
            _rgb.AsSpan(3 * Index(normalized[p]), 3).CopyTo(rgb.Slice(3 * p, 3));
        }
    }

    private static int Index(float value) => float.IsNaN(value) ? 0 : (int)MathF.Round(Math.Clamp(value, 0f, 1f) * (Size - 1));

    public override string ToString() => Name;
}
