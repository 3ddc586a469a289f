using ExplainApi.Core.Models;
using ExplainApi.Onnx.Explaining;
using ExplainApi.Onnx.Export;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ExplainApi.Onnx.Serving;

/// <summary>
/// A ready model version: one ONNX Runtime session shared by every thread (InferenceSession.Run is thread-safe),
/// with its tensor metadata. Every use holds a lease, so an eviction disposes the session only after the
/// inferences in flight have finished; uses that start after it get <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private readonly OnnxSession session;
    private readonly OrtValueTracker tracker;
    private readonly string[] outputNames;
    private readonly bool feedsTarget;
    private OnnxExplainableModel? explainable;
    private int leases;
    private int retired;
    private int disposed;
    private long inferences;

    internal LoadedModel(ModelManifest manifest, OnnxSession session, OrtValueTracker tracker)
    {
        this.session = session;
        this.tracker = tracker;
        Manifest = manifest;
        var s = session.Session;
        Inputs = [.. s.InputNames.Select(n => Describe(n, s.InputMetadata[n]))];
        Outputs = [.. s.OutputNames.Select(n => Describe(n, s.OutputMetadata[n]))];
        outputNames = [.. s.OutputNames];

        // Our exporter names the input after the manifest; models from elsewhere keep their own first input.
        InputName = s.InputMetadata.ContainsKey(manifest.Input.InputName) ? manifest.Input.InputName : s.InputNames[0];

        // Exported classifiers carry their backward graph, selected per item by an int64 `target` input.
        feedsTarget = InputName != ClassifierOnnxContract.Target && s.InputMetadata.ContainsKey(ClassifierOnnxContract.Target);
    }

    public ModelManifest Manifest { get; }

    public ModelKey Key => new(Manifest.Name, Manifest.Version);

    public ExecutionProviderReport Provider => session.Provider;

    /// <summary>The input that <see cref="Run"/> feeds.</summary>
    public string InputName { get; }

    public IReadOnlyList<ModelTensorInfo> Inputs { get; }

    public IReadOnlyList<ModelTensorInfo> Outputs { get; }

    /// <summary>Inferences run so far, the warm-up included.</summary>
    public long InferenceCount => Interlocked.Read(ref inferences);

    /// <summary>
    /// Runs one float32 input of <paramref name="shape"/> and returns every output as float32 (int64 outputs such as
    /// target_class converted). An exported model's <c>target</c> input gets −1 per item: explain the predicted class.
    /// </summary>
    public IReadOnlyList<ModelOutput> Run(float[] input, long[] shape) => Use(s =>
    {
        Interlocked.Increment(ref inferences);
        using var value = tracker.Input(input, shape);
        using var target = feedsTarget ? tracker.Input([.. Enumerable.Repeat(-1L, (int)shape[0])], [shape[0]]) : null;
        string[] names = feedsTarget ? [InputName, ClassifierOnnxContract.Target] : [InputName];
        OrtValue[] values = target is null ? [value[0]] : [value[0], target[0]];
        using var results = tracker.Run(s, names, values, outputNames);
        return (IReadOnlyList<ModelOutput>)[.. results.Values.Select((r, i) =>
            new ModelOutput(outputNames[i], OrtOutputs.Floats(r), r.GetTensorTypeAndShape().Shape))];
    });

    /// <summary>
    /// The model as the saliency methods see it, under a lease held for the whole of <paramref name="action"/>, so an
    /// eviction waits for the explanation in flight.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The model was evicted.</exception>
    public T Explain<T>(Func<OnnxExplainableModel, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Use(_ => action(explainable ?? throw new InvalidOperationException($"Model {Key} cannot be explained: {NotExplainableReason}")));
    }

    /// <summary>What the saliency methods can use (null until the cache attached the explainable form).</summary>
    public ExplainableCapabilities? Capabilities => explainable?.Capabilities;

    /// <summary>The CAM target layer (the graph's <c>target_layer</c> metadata, else the target tensor), null without one.</summary>
    public string? TargetLayer => explainable is { HasActivations: true } e ? e.TargetLayer : null;

    /// <summary>Why the saliency methods cannot use this model (e.g. its outputs are not logits of the manifest's classes), or null.</summary>
    public string? NotExplainableReason { get; internal set; }

    internal void Attach(OnnxExplainableModel model) => explainable = model;

    internal InferenceSession Session => session.Session;

    /// <summary>Anything else with the session (several inputs, other element types), under a lease.</summary>
    /// <exception cref="ObjectDisposedException">The model was evicted.</exception>
    public T Use<T>(Func<InferenceSession, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Interlocked.Increment(ref leases);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref retired) == 1, this);
            return action(session.Session);
        }
        finally
        {
            if (Interlocked.Decrement(ref leases) == 0 && Volatile.Read(ref retired) == 1)
            {
                DisposeSession();
            }
        }
    }

    /// <summary>Retires the model: the session goes when the last lease ends.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref retired, 1);
        if (Volatile.Read(ref leases) == 0)
        {
            DisposeSession();
        }
    }

    /// <summary>
    /// One inference on zeros so that the first request does not pay for ORT's lazy allocations. Images are NCHW:
    /// batch 1 and the manifest's C×H×W, so a model whose fixed input disagrees with its manifest fails here rather
    /// than on a request. Other ranks use the model's own sizes with 1 for dynamic dimensions.
    /// </summary>
    internal void WarmUp()
    {
        var input = Inputs.Single(i => i.Name == InputName);
        if (input.Datatype != KServeDatatypes.From(TensorElementType.Float))
        {
            throw new InvalidOperationException($"Input '{InputName}' is {input.Datatype}; only FP32 inputs are served.");
        }

        var spec = Manifest.Input;
        long[] shape = input.Shape.Count == 4
            ? [1, spec.Channels, spec.Height, spec.Width]
            : [.. input.Shape.Select(d => d > 0 ? d : 1)];
        Run(new float[shape.Aggregate(1L, (a, b) => a * b)], shape);
    }

    private void DisposeSession()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            explainable?.Dispose();
            session.Dispose();
        }
    }

    private static ModelTensorInfo Describe(string name, NodeMetadata metadata) =>
        new(name, KServeDatatypes.From(metadata.ElementDataType), [.. metadata.Dimensions.Select(d => d < 0 ? -1L : d)]);
}
