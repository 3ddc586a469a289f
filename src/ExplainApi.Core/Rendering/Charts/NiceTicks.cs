using System.Globalization;

namespace ExplainApi.Core.Rendering.Charts;

/// <summary>An axis: its range, the tick values on it (data values, also on a log axis) and their labels.</summary>
public sealed record AxisTicks(double Min, double Max, IReadOnlyList<double> Values, IReadOnlyList<string> Labels, bool IsLog);

/// <summary>
/// Axis ranges and tick values a reader can interpolate between: steps of 1, 2 or 5 times a power of
/// ten, and an axis that starts and ends on a tick (Heckbert, "Nice numbers for graph labels",
/// Graphics Gems, 1990).
/// </summary>
public static class NiceTicks
{
    private const int MinTicks = 4;
    private const int MaxTicks = 6;
    private static readonly int[] Mantissas = [1, 2, 5];

    /// <summary>
    /// The finest 1-2-5 step that covers [min, max] with at most six ticks. Consecutive steps differ
    /// by 2 or 2.5 times, so that step now and then leaves only three; the axis then gets one more
    /// step at the top, keeping four to six ticks. A constant range is widened by one unit of its
    /// leading digit on both sides.
    /// </summary>
    public static AxisTicks Linear(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
        {
            throw new ArgumentOutOfRangeException(nameof(max), $"Need finite min <= max, got [{min}, {max}].");
        }

        if (max - min <= 1e-12 * Math.Max(Math.Abs(min), Math.Abs(max)))
        {
            var unit = min == 0 ? 1 : Decimal(1, (int)Math.Floor(Math.Log10(Math.Abs(min))));
            (min, max) = (min - unit, max + unit);
        }

        for (var exponent = (int)Math.Floor(Math.Log10(max - min)) - 2; ; exponent++)
        {
            foreach (var mantissa in Mantissas)
            {
                // The small tolerances keep a value that is a multiple of the step up to rounding on the tick.
                var step = Decimal(mantissa, exponent);
                var first = (long)Math.Floor((min / step) + 1e-9);
                var last = (long)Math.Ceiling((max / step) - 1e-9);
                if (last - first + 1 <= MaxTicks)
                {
                    last = Math.Max(last, first + MinTicks - 1);
                    var values = new double[last - first + 1];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = Decimal((first + i) * mantissa, exponent);
                    }

                    // Fixed decimals, as many as the step has, unless the values are very large or very small.
                    var largest = Math.Max(Math.Abs(values[0]), Math.Abs(values[^1]));
                    var format = largest is >= 1e6 or < 1e-3 ? null : "F" + Math.Max(0, -exponent);
                    var labels = values.Select(v => format is null ? Scientific(v) : v.ToString(format, CultureInfo.InvariantCulture)).ToArray();
                    return new AxisTicks(values[0], values[^1], values, labels, IsLog: false);
                }
            }
        }
    }

    /// <summary>
    /// Whole decades from the one at or below <paramref name="min"/> to the one at or above
    /// <paramref name="max"/>, every second or third decade when there would be more than six; a
    /// range within one decade gets 1, 2 and 5 times it as well, so that it has four ticks.
    /// </summary>
    public static AxisTicks Log(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min <= 0 || min > max)
        {
            throw new ArgumentOutOfRangeException(nameof(max), $"Need finite 0 < min <= max, got [{min}, {max}].");
        }

        var low = (int)Math.Floor(Math.Log10(min) + 1e-9);
        var high = Math.Max((int)Math.Ceiling(Math.Log10(max) - 1e-9), low + 1);
        double[] values;
        if (high - low == 1)
        {
            values = [Decimal(1, low), Decimal(2, low), Decimal(5, low), Decimal(1, high)];
        }
        else
        {
            var stride = (high - low + MaxTicks - 2) / (MaxTicks - 1);
            var count = ((high - low + stride - 1) / stride) + 1;
            values = [.. Enumerable.Range(0, count).Select(i => Decimal(1, low + (i * stride)))];
        }

        var labels = values.Select(v => v is >= 1e-4 and < 1e6 ? v.ToString("0.####", CultureInfo.InvariantCulture) : Scientific(v)).ToArray();
        return new AxisTicks(values[0], values[^1], values, labels, IsLog: true);
    }

    // m * 10^e rounded once (10^|e| is exact in a double up to e = 22), so a tick is the double
    // nearest its decimal value and prints as 0.6, not 0.6000000000000001.
    private static double Decimal(double mantissa, int exponent) =>
        exponent >= 0 ? mantissa * Math.Pow(10, exponent) : mantissa / Math.Pow(10, -exponent);

    private static string Scientific(double value) =>
        value == 0 ? "0" : value.ToString("0.##e0", CultureInfo.InvariantCulture);
}
