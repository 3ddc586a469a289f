using System.Numerics;
using System.Runtime.InteropServices;

namespace ExplainApi.Core.Numerics;

/// <summary>
/// The NaN/infinity scan every model output and input goes through (logits, activations, gradients, images), several
/// times per request: a SIMD test of the exponent bits instead of a delegate call per value.
/// </summary>
public static class FiniteValues
{
    private const int ExponentBits = 0x7F80_0000; // IEEE 754 binary32: all ones means infinity or NaN

    /// <summary>The index of the first NaN or infinity, or −1 when every value is finite.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        var bits = MemoryMarshal.Cast<float, int>(values);
        var mask = new Vector<int>(ExponentBits);
        var i = 0;
        for (; i <= bits.Length - Vector<int>.Count; i += Vector<int>.Count)
        {
            if (Vector.EqualsAny(new Vector<int>(bits[i..]) & mask, mask))
            {
                break; // the scalar loop below finds which one
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public static bool All(ReadOnlySpan<float> values) => FirstNonFinite(values) < 0;
}
