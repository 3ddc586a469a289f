using ExplainApi.Core.Rendering.Charts;

namespace ExplainApi.Core.Tests.Rendering.Charts;

public class NiceTicksTests
{
    [Fact]
    public void A_range_of_0_to_0_93_gets_ticks_every_0_2_up_to_1()
    {
        var axis = NiceTicks.Linear(0, 0.93);

        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], axis.Values);
        Assert.Equal(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"], axis.Labels);
        Assert.Equal((0, 1.0, false), (axis.Min, axis.Max, axis.IsLog));
    }

    [Fact]
    public void Epochs_1_to_20_get_ticks_every_5()
    {
        var axis = NiceTicks.Linear(1, 20);

        Assert.Equal([0, 5, 10, 15, 20], axis.Values);
        Assert.Equal(["0", "5", "10", "15", "20"], axis.Labels);
    }

    [Fact]
    public void Linear_axes_have_4_to_6_ticks_of_1_2_or_5_times_a_power_of_ten_that_cover_the_data()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 20_000; trial++)
        {
            var min = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4));
            var max = min + Math.Pow(10, (random.NextDouble() * 8) - 4);

            var axis = NiceTicks.Linear(min, max);

            Assert.InRange(axis.Values.Count, 4, 6);
            var step = axis.Values[1] - axis.Values[0];
            // Data within a billionth of a step beyond a tick count as on it, as rounding error.
            Assert.True(axis.Min <= min + (1e-9 * step) && axis.Max >= max - (1e-9 * step), $"[{axis.Min}, {axis.Max}] does not cover [{min}, {max}]");
            var mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
            Assert.Contains(new[] { 1.0, 2.0, 5.0 }, m => Math.Abs(m - mantissa) < 1e-6);
        }
    }

    [Fact]
    public void A_constant_range_is_widened_around_its_value()
    {
        var axis = NiceTicks.Linear(0.5, 0.5);

        Assert.InRange(axis.Values.Count, 4, 6);
        Assert.True(axis.Min < 0.5 && axis.Max > 0.5);
        Assert.Equal([-1, -0.5, 0, 0.5, 1], NiceTicks.Linear(0, 0).Values);
    }

    [Fact]
    public void Very_small_and_very_large_values_are_labelled_in_scientific_notation()
    {
        Assert.Equal(["0", "1e-4", "2e-4", "3e-4"], NiceTicks.Linear(0, 0.00028).Labels);
        Assert.Equal(["0", "1e6", "2e6", "3e6", "4e6", "5e6"], NiceTicks.Linear(0, 4.5e6).Labels);
    }

    [Fact]
    public void A_log_range_of_0_003_to_2_gets_whole_decades()
    {
        var axis = NiceTicks.Log(0.003, 2);

        Assert.Equal([0.001, 0.01, 0.1, 1, 10], axis.Values);
        Assert.Equal(["0.001", "0.01", "0.1", "1", "10"], axis.Labels);
        Assert.True(axis.IsLog);
    }

    [Fact]
    public void A_log_range_within_one_decade_gets_1_2_5_ticks()
    {
        Assert.Equal([0.1, 0.2, 0.5, 1], NiceTicks.Log(0.2, 0.9).Values);
        Assert.Equal([1, 2, 5, 10], NiceTicks.Log(1, 1).Values);
    }

    [Fact]
    public void A_log_range_of_many_decades_labels_every_second_one()
    {
        var axis = NiceTicks.Log(3e-9, 0.5);

        Assert.Equal([1e-9, 1e-7, 1e-5, 1e-3, 1e-1, 10], axis.Values);
        Assert.Equal(["1e-9", "1e-7", "1e-5", "0.001", "0.1", "10"], axis.Labels);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(double.NaN, 1)]
    [InlineData(2, 1)]
    public void Log_axes_refuse_non_positive_or_inverted_ranges(double min, double max)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NiceTicks.Log(min, max));
    }
}
