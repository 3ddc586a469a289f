using System.Runtime.InteropServices;
using ExplainApi.Onnx.Proto;
using Google.Protobuf;

namespace ExplainApi.Onnx.Export;

/// <summary>
/// Builds an ONNX model (opset 17, IR version 8) one piece at a time: float initializers, nodes in
/// topological order, graph inputs and outputs whose first dimension is the symbolic batch
/// <see cref="BatchDimension"/>. It checks what ONNX Runtime would otherwise reject with a vaguer message:
/// a node input that nothing defined yet, and a name defined twice. Needs only the protobuf classes, so
/// exporters can run without ONNX Runtime.
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const int Opset = 17;
    public const string BatchDimension = "N";

    private readonly GraphProto _graph;
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _metadata = [];

    public OnnxGraphBuilder(string graphName) => _graph = new GraphProto { Name = graphName };

    /// <summary>A float32 constant, stored as little-endian raw_data (compact for large weights).</summary>
    public string AddInitializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        CheckElementCount(name, values.Length, dims);
        var tensor = new TensorProto { Name = Define(name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        // ONNX raw_data is little-endian; so is every platform .NET and ONNX Runtime run on here.
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An int64 constant (shapes, axes).</summary>
    public string AddInitializer(string name, ReadOnlySpan<long> values, params long[] dims)
    {
        CheckElementCount(name, values.Length, dims);
        var tensor = new TensorProto { Name = Define(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(dims);
        tensor.Int64Data.Add(values.ToArray());
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A float32 graph input of shape [N, <paramref name="dims"/>…].</summary>
    public string AddInput(string name, params long[] dims) => AddInput(name, TensorProto.Types.DataType.Float, dims);

    /// <summary>A graph input of element type <paramref name="type"/> and shape [N, <paramref name="dims"/>…].</summary>
    public string AddInput(string name, TensorProto.Types.DataType type, params long[] dims)
    {
        _graph.Input.Add(Batched(Define(name), type, dims));
        return name;
    }

    /// <summary>Marks an already defined value as a float32 graph output of shape [N, <paramref name="dims"/>…].</summary>
    public string AddOutput(string name, params long[] dims) => AddOutput(name, TensorProto.Types.DataType.Float, dims);

    /// <summary>Marks an already defined value as a graph output of element type <paramref name="type"/> and shape [N, <paramref name="dims"/>…].</summary>
    public string AddOutput(string name, TensorProto.Types.DataType type, params long[] dims)
    {
        if (!_defined.Contains(name))
        {
            throw new InvalidOperationException($"Output '{name}' is not produced by any node, input or initializer.");
        }
        _graph.Output.Add(Batched(name, type, dims));
        return name;
    }

    /// <summary>Declares the float32 shape [N, <paramref name="dims"/>…] of an intermediate value, for where ONNX shape inference loses the symbolic N.</summary>
    public void AddValueInfo(string name, params long[] dims) => _graph.ValueInfo.Add(Batched(name, TensorProto.Types.DataType.Float, dims));

    /// <summary>Whether a node, input or initializer already defines <paramref name="name"/>.</summary>
    public bool IsDefined(string name) => _defined.Contains(name);

    /// <summary>Appends a node of the default ONNX domain; returns its first output.</summary>
    public string AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params AttributeProto[] attributes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        // An empty name is ONNX's "optional input left out".
        var undefined = inputs.FirstOrDefault(i => i.Length > 0 && !_defined.Contains(i));
        if (undefined is not null)
        {
            throw new InvalidOperationException($"{opType} node input '{undefined}' is not defined yet (nodes must be added in topological order).");
        }
        var node = new NodeProto { OpType = opType, Name = $"{opType.ToLowerInvariant()}_{_graph.Node.Count}" };
        node.Input.Add(inputs);
        node.Output.Add(outputs.Select(Define));
        node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return outputs[0];
    }

    public void AddMetadata(string key, string value) => _metadata.Add(new(key, value));

    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto FloatAttribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto StringAttribute(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    public ModelProto Build(string producerName = "ExplainApi")
    {
        var model = new ModelProto
        {
            IrVersion = (long)Proto.Version.IrVersion2021730, // IR 8 goes with opset 17
            ProducerName = producerName,
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        model.MetadataProps.Add(_metadata.Select(m => new StringStringEntryProto { Key = m.Key, Value = m.Value }));
        return model;
    }

    public byte[] ToBytes(string producerName = "ExplainApi") => Build(producerName).ToByteArray();

    private string Define(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_defined.Add(name))
        {
            throw new InvalidOperationException($"'{name}' is already defined in graph '{_graph.Name}'.");
        }
        return name;
    }

    private static void CheckElementCount(string name, int count, long[] dims)
    {
        var expected = dims.Aggregate(1L, (product, d) => product * d);
        if (expected != count)
        {
            throw new ArgumentException($"Initializer '{name}' has {count} values but shape [{string.Join(", ", dims)}] needs {expected}.", nameof(dims));
        }
    }

    private static ValueInfoProto Batched(string name, TensorProto.Types.DataType elementType, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        shape.Dim.Add(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        var type = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = type } };
    }
}
