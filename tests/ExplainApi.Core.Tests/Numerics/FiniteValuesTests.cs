using ExplainApi.Core.Numerics;

namespace ExplainApi.Core.Tests.Numerics;

public class FiniteValuesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(40)]
    [InlineData(99)]
    public void The_first_nan_or_infinity_is_found_wherever_it_is(int index)
    {
        // 100 values: whole SIMD vectors and a tail, with extreme finite values around the bad one.
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var values = Enumerable.Range(0, 100).Select(i => (i % 3) switch { 0 => float.MaxValue, 1 => -float.Epsilon, _ => -0f }).ToArray();
            values[index] = bad;
            if (index < 99)
            {
                values[99] = float.NaN;
            }

            Assert.Equal(index, FiniteValues.FirstNonFinite(values));
            Assert.False(FiniteValues.All(values));
        }
    }

    [Fact]
    public void Finite_values_pass()
    {
        float[] values = [.. Enumerable.Range(0, 37).Select(i => i % 2 == 0 ? float.MaxValue : float.MinValue), 1e-45f, 0f];

        Assert.Equal(-1, FiniteValues.FirstNonFinite(values));
        Assert.True(FiniteValues.All(values));
        Assert.True(FiniteValues.All([]));
    }
}
