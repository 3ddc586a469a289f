using ExplainApi.Core.Models;
using ExplainApi.Onnx.Serving.Adapters;
using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Onnx.Serving;

/// <summary>
/// A ready model version: one ONNX Runtime session per graph of its manifest (the first is the primary one, which plain
/// inference runs), all warmed, plus the adapter of its task (<see cref="ModelAdapters"/>). Every use holds a lease that
/// covers all of the version's sessions, so an eviction disposes them only after the uses in flight have finished;
/// uses that start after it get <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private readonly IReadOnlyList<GraphSession> graphs;
    private readonly OrtValueTracker tracker;
    private IModelAdapter? adapter;
    private int leases;
    private int retired;
    private int disposed;
    private long inferences;

    internal LoadedModel(ModelManifest manifest, IReadOnlyList<GraphSession> graphs, OrtValueTracker tracker)
    {
        ArgumentOutOfRangeException.ThrowIfZero(graphs.Count);
        (Manifest, this.graphs, this.tracker) = (manifest, graphs, tracker);
    }

    public ModelManifest Manifest { get; }

    public ModelKey Key => new(Manifest.Name, Manifest.Version);

    /// <summary>The execution provider of the primary graph (every graph asks for the same one).</summary>
    public ExecutionProviderReport Provider => graphs[0].Provider;

    /// <summary>Every graph, in manifest order.</summary>
    public IReadOnlyList<GraphSession> Graphs => graphs;

    /// <summary>The graph plain inference runs when none is named (the manifest's first).</summary>
    public GraphSession Primary => graphs[0];

    /// <summary>The graph of <paramref name="role"/>, or null.</summary>
    public GraphSession? Graph(string role) => graphs.FirstOrDefault(g => g.Role == role);

    /// <summary>The input that <see cref="Run(float[], long[])"/> feeds.</summary>
    public string InputName => Primary.InputName;

    public IReadOnlyList<ModelTensorInfo> Inputs => Primary.Inputs;

    public IReadOnlyList<ModelTensorInfo> Outputs => Primary.Outputs;

    /// <summary>Inferences run so far, the warm-ups included.</summary>
    public long InferenceCount => Interlocked.Read(ref inferences);

    /// <summary>The adapter of the manifest's task; null for tasks that serve plain inference only.</summary>
    public IModelAdapter? Adapter => adapter;

    /// <summary>Runs the primary graph on one float32 input of <paramref name="shape"/>; every output as float32.</summary>
    public IReadOnlyList<ModelOutput> Run(float[] input, long[] shape) => Run(Primary.Role, input, shape);

    /// <summary>Runs the graph of <paramref name="role"/> under a lease; <paramref name="outputs"/> null fetches every output.</summary>
    /// <exception cref="ArgumentException">The version has no graph of that role.</exception>
    public IReadOnlyList<ModelOutput> Run(string role, float[] input, long[] shape, IReadOnlyList<string>? outputs = null) =>
        OnGraph(role, graph => graph.Run(tracker, input, shape, outputs));

    /// <summary>Runs the graph of <paramref name="role"/> on several named float32 inputs under a lease.</summary>
    /// <exception cref="ArgumentException">The version has no graph of that role.</exception>
    public IReadOnlyList<ModelOutput> Run(string role, IReadOnlyList<(string Name, float[] Values, long[] Shape)> inputs, IReadOnlyList<string> outputs) =>
        OnGraph(role, graph => graph.Run(tracker, inputs, outputs));

    /// <summary>One counted inference on the graph of <paramref name="role"/> under a lease.</summary>
    private IReadOnlyList<ModelOutput> OnGraph(string role, Func<GraphSession, IReadOnlyList<ModelOutput>> run)
    {
        var graph = Graph(role) ?? throw new ArgumentException($"Model {Key} has no graph '{role}'.", nameof(role));
        return Use(_ =>
        {
            Interlocked.Increment(ref inferences);
            return run(graph);
        });
    }

    /// <summary>The task adapter under a lease held for the whole of <paramref name="action"/>.</summary>
    /// <exception cref="InvalidOperationException">The version's adapter is not a <typeparamref name="TAdapter"/>.</exception>
    /// <exception cref="ObjectDisposedException">The model was evicted.</exception>
    public T With<TAdapter, T>(Func<TAdapter, T> action)
        where TAdapter : class, IModelAdapter
    {
        ArgumentNullException.ThrowIfNull(action);
        return Use(_ => action(adapter as TAdapter
            ?? throw new InvalidOperationException($"Model {Key} is a {ModelTasks.Name(Manifest.Task)} model; it has no {typeof(TAdapter).Name}.")));
    }

    internal void Attach(IModelAdapter? taskAdapter) => adapter = taskAdapter;

    /// <summary>The primary graph's session.</summary>
    internal InferenceSession Session => Primary.Session;

    /// <summary>Anything else with the primary session (several inputs, other element types), under a lease.</summary>
    /// <exception cref="ObjectDisposedException">The model was evicted.</exception>
    public T Use<T>(Func<InferenceSession, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Interlocked.Increment(ref leases);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref retired) == 1, this);
            return action(Primary.Session);
        }
        finally
        {
            if (Interlocked.Decrement(ref leases) == 0 && Volatile.Read(ref retired) == 1)
            {
                DisposeSessions();
            }
        }
    }

    /// <summary>Retires the model: the sessions go when the last lease ends.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref retired, 1);
        if (Volatile.Read(ref leases) == 0)
        {
            DisposeSessions();
        }
    }

    /// <summary>One inference on zeros per graph, so that the first request does not pay for ORT's lazy allocations.</summary>
    internal void WarmUp()
    {
        foreach (var graph in graphs)
        {
            try
            {
                var shape = graph.WarmUpShape(Manifest.Input);
                var input = new float[shape.Aggregate(1L, (a, b) => a * b)];
                var extras = graph.WarmUpExtras();
                _ = extras.Count == 0 ? Run(graph.Role, input, shape)
                    : Run(graph.Role, [(graph.InputName, input, shape), .. extras], [.. graph.Outputs.Select(o => o.Name)]);
            }
            catch (Exception exception) when (graphs.Count > 1 && exception is not OutOfMemoryException)
            {
                throw new InvalidOperationException($"graph '{graph.Role}' ({graph.File}): {exception.Message}", exception);
            }
        }
    }

    private void DisposeSessions()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            adapter?.Dispose();
            foreach (var graph in graphs)
            {
                graph.Dispose();
            }
        }
    }
}
