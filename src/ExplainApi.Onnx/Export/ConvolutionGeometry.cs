using ExplainApi.Onnx.Proto;

namespace ExplainApi.Onnx.Export;

/// <summary>
/// Kernel, strides, padding and dilations of a convolution or pooling window over the spatial axes, as ONNX spells
/// them: <see cref="Pads"/> holds all begin pads then all end pads. Also names the zero-padding convention that both
/// PyTorch and ONNX use for output sizes.
/// </summary>
public sealed record ConvolutionGeometry(long[] Kernel, long[] Strides, long[] Pads, long[] Dilations)
{
    public int Rank => Kernel.Length;

    /// <summary>A window with symmetric padding, as PyTorch modules describe it.</summary>
    public static ConvolutionGeometry Symmetric(long[] kernel, long[] strides, long[] padding, long[]? dilations = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(padding);
        return new(kernel, strides, [.. padding, .. padding], dilations ?? kernel.Select(_ => 1L).ToArray());
    }

    /// <summary>Conv/pool output length on <paramref name="axis"/>: ⌊(L + p_begin + p_end − d(k − 1) − 1) / s⌋ + 1.</summary>
    public long OutputLength(int axis, long length) => Span(axis, length) / Strides[axis] + 1;

    /// <summary>
    /// What a transposed convolution with these settings must add at the end of <paramref name="axis"/> to give back
    /// <paramref name="length"/>: the rows the strided forward window never reached, (L + p_b + p_e − d(k − 1) − 1) mod s.
    /// </summary>
    public long OutputPadding(int axis, long length) => Span(axis, length) % Strides[axis];

    /// <summary>Transposed convolution output length: s(L − 1) + op + d(k − 1) + 1 − p_begin − p_end (ONNX ConvTranspose).</summary>
    public long TransposedLength(int axis, long length, long outputPadding) =>
        Strides[axis] * (length - 1) + outputPadding + Dilations[axis] * (Kernel[axis] - 1) + 1 - Pads[axis] - Pads[axis + Rank];

    /// <summary>kernel_shape, strides, pads, dilations attributes (MaxPool and AveragePool skip dilations when all are 1).</summary>
    public IEnumerable<AttributeProto> Attributes(bool withDilations = true)
    {
        yield return OnnxGraphBuilder.IntsAttribute("kernel_shape", Kernel);
        yield return OnnxGraphBuilder.IntsAttribute("strides", Strides);
        yield return OnnxGraphBuilder.IntsAttribute("pads", Pads);
        if (withDilations)
        {
            yield return OnnxGraphBuilder.IntsAttribute("dilations", Dilations);
        }
    }

    private long Span(int axis, long length)
    {
        var span = length + Pads[axis] + Pads[axis + Rank] - Dilations[axis] * (Kernel[axis] - 1) - 1;
        return span >= 0 ? span : throw new ArgumentException($"A {Kernel[axis]}-wide window (dilation {Dilations[axis]}) does not fit an input of length {length} on spatial axis {axis}.");
    }
}
