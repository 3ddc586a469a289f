using ExplainApi.Onnx.Proto;

namespace ExplainApi.Onnx.Export;

/// <summary>
/// An ONNX graph that can emit its own backward graph, since ONNX Runtime computes no gradients (METHODS.md §1).
/// Every op (one family per partial file) adds its forward node through <see cref="Builder"/>, records the static
/// per-item shape of its output (the batch dimension stays symbolic) and puts a backward rule on a tape.
/// <see cref="EmitBackward"/> then runs reverse-mode differentiation (Griewank &amp; Walther, "Evaluating
/// Derivatives", 2008, ch. 3): the tape is walked backwards, each rule turns the gradient of an op's output into
/// the gradients of its inputs as ONNX nodes, and a tensor used by several ops receives the sum (fan-out).
/// Weights are constants: gradients flow only to graph tensors.
/// </summary>
public sealed partial class DifferentiableGraph
{
    /// <summary>Turns the gradient of an op's output into the gradient of its input number <c>index</c>.</summary>
    private delegate string BackwardRule(string gradOutput, int index);

    private sealed record TapeEntry(string Output, IReadOnlyList<string> Inputs, BackwardRule Backward);

    private readonly Dictionary<string, long[]> _shapes = new(StringComparer.Ordinal);
    private readonly List<TapeEntry> _tape = [];
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private int _names;

    public DifferentiableGraph(string graphName) => Builder = new OnnxGraphBuilder(graphName);

    /// <summary>The underlying builder, for metadata and for nodes that are not differentiated (e.g. ArgMax).</summary>
    public OnnxGraphBuilder Builder { get; }

    /// <summary>The static shape of one batch item of <paramref name="tensor"/> (the graph shape without the leading N).</summary>
    public IReadOnlyList<long> ShapeOf(string tensor) =>
        _shapes.TryGetValue(tensor, out var shape) ? shape : throw new ArgumentException($"'{tensor}' is not a tensor of this graph.", nameof(tensor));

    /// <summary>A float32 graph input [N, <paramref name="dims"/>…].</summary>
    public string Input(string name, params long[] dims)
    {
        Builder.AddInput(name, dims);
        _shapes[name] = dims.ToArray();
        return name;
    }

    /// <summary>Publishes <paramref name="tensor"/> as the float32 graph output <paramref name="name"/> (through Identity when renamed).</summary>
    public string Output(string tensor, string name)
    {
        var shape = ShapeOf(tensor).ToArray();
        if (!string.Equals(tensor, name, StringComparison.Ordinal))
        {
            Builder.AddNode("Identity", [tensor], [name]);
        }
        return Builder.AddOutput(name, shape);
    }

    /// <summary>
    /// Emits ∂(Σ seed ⊙ <paramref name="output"/>)/∂w for each w in <paramref name="wrt"/>: with a one-hot seed over
    /// logits this is ∂y_c/∂w per batch item (items are independent in eval mode). Only the tape entries on a path
    /// from some w to <paramref name="output"/> get backward nodes; a w that <paramref name="output"/> does not depend on
    /// gets zeros. Call after the forward ops (backward nodes are not themselves differentiated).
    /// </summary>
    /// <param name="seed">A tensor of <paramref name="output"/>'s shape, e.g. a graph input or a OneHot.</param>
    /// <returns>The gradient tensor of each w, in order.</returns>
    public IReadOnlyList<string> EmitBackward(string output, string seed, IReadOnlyList<string> wrt)
    {
        ArgumentNullException.ThrowIfNull(wrt);
        if (!ShapeOf(output).SequenceEqual(ShapeOf(seed)))
        {
            throw new ArgumentException($"The seed '{seed}' must have the shape of '{output}'.", nameof(seed));
        }
        // Forward sweep: the tensors that depend on some w (the only ones whose gradient is worth emitting).
        var dependsOnWrt = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in wrt)
        {
            _ = ShapeOf(w); // throws for a name that is not a tensor of this graph
            dependsOnWrt.Add(w);
        }
        foreach (var entry in _tape.Where(e => e.Inputs.Any(dependsOnWrt.Contains)))
        {
            dependsOnWrt.Add(entry.Output);
        }
        var gradients = new Dictionary<string, string>(StringComparer.Ordinal) { [output] = seed };
        for (var step = _tape.Count - 1; step >= 0; step--)
        {
            var entry = _tape[step];
            if (!gradients.TryGetValue(entry.Output, out var gradOutput))
            {
                continue;
            }
            for (var index = 0; index < entry.Inputs.Count; index++)
            {
                var input = entry.Inputs[index];
                if (dependsOnWrt.Contains(input))
                {
                    var contribution = entry.Backward(gradOutput, index);
                    gradients[input] = gradients.TryGetValue(input, out var sum)
                        ? Node("Add", [sum, contribution], $"grad/{input}", ShapeOf(input).ToArray())
                        : contribution;
                }
            }
        }
        return wrt.Select(w => gradients.TryGetValue(w, out var g) ? g : ZerosLike(w)).ToList();
    }

    /// <summary>
    /// A float32 [N, <paramref name="depth"/>] one-hot of the int64 [N] <paramref name="indices"/> (all zeros for an index
    /// ≥ depth; ONNX counts a negative one from the end): the seed that makes <see cref="EmitBackward"/> differentiate one logit per item.
    /// Not differentiable itself.
    /// </summary>
    public string OneHot(string indices, long depth, string output)
    {
        var values = Builder.AddInitializer(Fresh($"{output}.values"), [0f, 1f], 2);
        return Node("OneHot", [indices, Int64s(depth), values], output, [depth], OnnxGraphBuilder.IntAttribute("axis", -1));
    }

    /// <summary>Appends a forward op's backward rule; <paramref name="inputs"/> are the graph tensors it reads.</summary>
    private void Record(string output, IReadOnlyList<string> inputs, BackwardRule backward) => _tape.Add(new(output, inputs, backward));

    /// <summary>Adds a single-output node whose output is <paramref name="name"/> or a fresh name from it, with the given per-item shape.</summary>
    private string Node(string opType, IReadOnlyList<string> inputs, string name, long[] shape, params AttributeProto[] attributes)
    {
        var output = Fresh(name);
        Builder.AddNode(opType, inputs, [output], attributes);
        _shapes[output] = shape;
        return output;
    }

    /// <summary>A node whose output has no batch dimension (shapes, indices): not tracked, never differentiated.</summary>
    private string Unbatched(string opType, IReadOnlyList<string> inputs, string name, params AttributeProto[] attributes) =>
        Builder.AddNode(opType, inputs, [Fresh(name)], attributes);

    /// <summary><paramref name="name"/> if no value has it yet, else <c>name_k</c> for the first free k.</summary>
    private string Fresh(string name)
    {
        var candidate = name;
        while (Builder.IsDefined(candidate))
        {
            candidate = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}_{++_names}");
        }
        return candidate;
    }

    /// <summary>A float32 initializer named <c>{name}</c> (checked unique) for weights the caller names.</summary>
    private string Weight(string name, ReadOnlySpan<float> values, params long[] dims) => Builder.AddInitializer(Fresh(name), values, dims);

    /// <summary>A shared int64 constant (axes, shapes, slice bounds), one initializer per distinct value.</summary>
    private string Int64s(params long[] values)
    {
        var key = "const.i64." + string.Join('_', values).Replace('-', 'm');
        if (!_constants.TryGetValue(key, out var name))
        {
            name = _constants[key] = Builder.AddInitializer(Fresh(key), values, values.Length);
        }
        return name;
    }

    /// <summary>A shared float32 scalar constant (rank 0, broadcasts against anything).</summary>
    private string Scalar(float value)
    {
        var key = "const.f32." + value.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Replace('-', 'm');
        if (!_constants.TryGetValue(key, out var name))
        {
            name = _constants[key] = Builder.AddInitializer(Fresh(key), [value]);
        }
        return name;
    }

    private string ZerosLike(string tensor)
    {
        var shape = Unbatched("Shape", [tensor], $"{tensor}.shape");
        return Node("ConstantOfShape", [shape], $"grad/{tensor}", ShapeOf(tensor).ToArray()); // value defaults to float32 0
    }

    /// <summary>The per-item shape as an ONNX Reshape target: [-1, dims…].</summary>
    private string ReshapeTarget(IReadOnlyList<long> shape) => Int64s([-1, .. shape]);
}
