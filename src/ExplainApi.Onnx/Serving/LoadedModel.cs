using ExplainApi.Core.Models;
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
    private readonly string[] outputNames;
    private int leases;
    private int retired;
    private int disposed;
    private long inferences;

    internal LoadedModel(ModelManifest manifest, OnnxSession session)
    {
        this.session = session;
        Manifest = manifest;
        var s = session.Session;
        Inputs = [.. s.InputNames.Select(n => Describe(n, s.InputMetadata[n]))];
        Outputs = [.. s.OutputNames.Select(n => Describe(n, s.OutputMetadata[n]))];
        outputNames = [.. s.OutputNames];

        // Our exporter names the input after the manifest; models from elsewhere keep their own first input.
        InputName = s.InputMetadata.ContainsKey(manifest.Input.InputName) ? manifest.Input.InputName : s.InputNames[0];
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

    /// <summary>Runs one float32 input of <paramref name="shape"/> and returns every output as float32.</summary>
    public IReadOnlyList<ModelOutput> Run(float[] input, long[] shape) => Use(s =>
    {
        Interlocked.Increment(ref inferences);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var results = s.Run(runOptions, [InputName], [value], outputNames);
        return (IReadOnlyList<ModelOutput>)[.. results.Select((r, i) =>
            new ModelOutput(outputNames[i], r.GetTensorDataAsSpan<float>().ToArray(), r.GetTensorTypeAndShape().Shape))];
    });

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
            session.Dispose();
        }
    }

    private static ModelTensorInfo Describe(string name, NodeMetadata metadata) =>
        new(name, KServeDatatypes.From(metadata.ElementDataType), [.. metadata.Dimensions.Select(d => d < 0 ? -1L : d)]);
}
