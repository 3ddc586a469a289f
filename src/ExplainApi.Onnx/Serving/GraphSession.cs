using ExplainApi.Core.Models;
using ExplainApi.Onnx.Explaining;
using ExplainApi.Onnx.Export;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ExplainApi.Onnx.Serving;

/// <summary>
/// One ONNX graph of a served version (a <see cref="ModelGraph"/> role): its session, shared by every thread
/// (InferenceSession.Run is thread-safe), and its tensor metadata. Runs only under its <see cref="LoadedModel"/>'s lease.
/// </summary>
public sealed class GraphSession : IDisposable
{
    private readonly OnnxSession session;
    private readonly string[] outputNames;
    private readonly bool feedsTarget;

    internal GraphSession(ModelGraph graph, ModelInputSpec spec, OnnxSession session)
    {
        (Role, File, this.session) = (graph.Role, graph.File, session);
        var s = session.Session;
        Inputs = [.. s.InputNames.Select(n => Describe(n, s.InputMetadata[n]))];
        Outputs = [.. s.OutputNames.Select(n => Describe(n, s.OutputMetadata[n]))];
        outputNames = [.. s.OutputNames];

        // Our exporter names the input after the manifest; models from elsewhere keep their own first input.
        InputName = s.InputMetadata.ContainsKey(spec.InputName) ? spec.InputName : s.InputNames[0];

        // Exported classifiers carry their backward graph, selected per item by an int64 `target` input.
        feedsTarget = InputName != ClassifierOnnxContract.Target && s.InputMetadata.ContainsKey(ClassifierOnnxContract.Target);
    }

    public string Role { get; }

    public string File { get; }

    public ExecutionProviderReport Provider => session.Provider;

    /// <summary>The float input that plain inference feeds.</summary>
    public string InputName { get; }

    public IReadOnlyList<ModelTensorInfo> Inputs { get; }

    public IReadOnlyList<ModelTensorInfo> Outputs { get; }

    internal InferenceSession Session => session.Session;

    /// <summary>
    /// Runs one float32 input of <paramref name="shape"/> and returns <paramref name="outputs"/> (default: every output)
    /// as float32, int64 ones converted and labelled INT64. An exported classifier's <c>target</c> input gets −1 per item.
    /// </summary>
    internal IReadOnlyList<ModelOutput> Run(OrtValueTracker tracker, float[] input, long[] shape, IReadOnlyList<string>? outputs)
    {
        var fetch = outputs is { Count: > 0 } ? [.. outputs] : outputNames;
        using var value = tracker.Input(input, shape);
        using var target = feedsTarget ? tracker.Input([.. Enumerable.Repeat(-1L, (int)shape[0])], [shape[0]]) : null;
        string[] names = feedsTarget ? [InputName, ClassifierOnnxContract.Target] : [InputName];
        OrtValue[] values = target is null ? [value[0]] : [value[0], target[0]];
        using var results = tracker.Run(session.Session, names, values, fetch);
        return Read(results, fetch);
    }

    /// <summary>Each fetched output as float32 (int64 ones converted), named and typed for KServe.</summary>
    private static ModelOutput[] Read(OrtValueTracker.TrackedValues results, IReadOnlyList<string> fetch) =>
        [.. results.Values.Select((r, i) => new ModelOutput(fetch[i], OrtOutputs.Floats(r), r.GetTensorTypeAndShape().Shape,
            KServeDatatypes.From(r.GetTensorTypeAndShape().ElementDataType)))];

    /// <summary>Runs several named float32 inputs (a graph such as SSDD's detector that takes the image and masks) and returns <paramref name="outputs"/> as float32.</summary>
    internal IReadOnlyList<ModelOutput> Run(OrtValueTracker tracker, IReadOnlyList<(string Name, float[] Values, long[] Shape)> inputs, IReadOnlyList<string> outputs)
    {
        var values = inputs.Select(i => tracker.Input(i.Values, i.Shape)).ToList();
        try
        {
            using var results = tracker.Run(session.Session, [.. inputs.Select(i => i.Name)], [.. values.Select(v => v[0])], [.. outputs]);
            return Read(results, outputs);
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    /// <summary>Zeros for every float input besides <see cref="InputName"/> at batch 1 (dynamic dimensions 1), for the warm-up.</summary>
    internal IReadOnlyList<(string Name, float[] Values, long[] Shape)> WarmUpExtras() =>
        [.. Inputs.Where(i => i.Name != InputName && i.Datatype == KServeDatatypes.From(TensorElementType.Float)).Select(i =>
        {
            long[] shape = [1, .. i.Shape.Skip(1).Select(d => d > 0 ? d : 1)];
            return (i.Name, new float[shape.Aggregate(1L, (a, b) => a * b)], shape);
        })];

    /// <summary>
    /// The zero-input shape of the warm-up: images are NCHW with batch 1 and the manifest's C×H×W, so a graph whose fixed
    /// input disagrees with its manifest fails at load rather than on a request; other ranks use 1 for dynamic dimensions.
    /// </summary>
    internal long[] WarmUpShape(ModelInputSpec spec)
    {
        var input = Inputs.Single(i => i.Name == InputName);
        if (input.Datatype != KServeDatatypes.From(TensorElementType.Float))
        {
            throw new InvalidOperationException($"Input '{InputName}' is {input.Datatype}; only FP32 inputs are served.");
        }

        return input.Shape.Count == 4 ? [1, spec.Channels, spec.Height, spec.Width] : [.. input.Shape.Select(d => d > 0 ? d : 1)];
    }

    public void Dispose() => session.Dispose();

    private static ModelTensorInfo Describe(string name, NodeMetadata metadata) =>
        new(name, KServeDatatypes.From(metadata.ElementDataType), [.. metadata.Dimensions.Select(d => d < 0 ? -1L : d)]);
}
