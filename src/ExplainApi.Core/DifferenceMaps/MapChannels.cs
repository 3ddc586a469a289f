namespace ExplainApi.Core.DifferenceMaps;

/// <summary>Colour maps reduced to one plane (for NCC against an H×W mask and for display).</summary>
public static class MapChannels
{
    /// <summary>The mean over the <paramref name="channels"/> planes of a C×H×W map: H×W (the map itself when C = 1).</summary>
    public static float[] Mean(float[] map, int channels)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (channels == 1)
        {
            return map;
        }

        var pixels = map.Length / channels;
        var mean = new float[pixels];
        for (var i = 0; i < map.Length; i++)
        {
            mean[i % pixels] += map[i] / channels;
        }

        return mean;
    }
}
