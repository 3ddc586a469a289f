using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using ExplainApi.Core;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Onnx.Serving;

/// <summary>
/// The warmed ONNX Runtime sessions of each model version (one per graph, see <see cref="LoadedModel"/>), created once and
/// shared across threads. Loading happens on the thread pool; concurrent <see cref="EnsureLoadedAsync"/> calls for one version share one load. A failed
/// load stays failed (versions are immutable) until the version is evicted.
/// </summary>
public sealed class ModelSessionCache(OnnxSessionFactory factory, AcceleratorPreference preference) : IDisposable
{
    private readonly ConcurrentDictionary<ModelKey, Entry> entries = new();
    private volatile bool disposed;

    public AcceleratorPreference Preference => preference;

    /// <summary>Dynamic batching of a classifier version's saliency passes across requests, or null for none (the default).</summary>
    public Func<ModelKey, BatchingSettings?> Batching { get; init; } = _ => null;

    /// <summary>Counts every OrtValue the served models create; <see cref="OrtValueTracker.Live"/> is 0 between requests.</summary>
    public OrtValueTracker OrtValues { get; } = new(factory.Runs);

    /// <summary>Every version the cache holds, by name then newest version first.</summary>
    public IReadOnlyList<ModelSessionStatus> States =>
        [.. entries.Values.Select(e => e.Status).OrderBy(s => s.Name, StringComparer.Ordinal).ThenByDescending(s => s.Version)];

    /// <summary>
    /// Loads and warms every graph of the version (files in <paramref name="versionDirectory"/>) unless it is loaded or
    /// loading already, then attaches its task's adapter. Never throws for a bad model: the returned status (also in
    /// <see cref="States"/>) is Failed with the reason when any graph fails.
    /// </summary>
    /// <param name="verify">Run before loading; returns why the files cannot be trusted (e.g. a hash mismatch), or null.</param>
    public Task<ModelSessionStatus> EnsureLoadedAsync(ModelManifest manifest, string versionDirectory, Func<string?>? verify = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentException.ThrowIfNullOrEmpty(versionDirectory);
        ObjectDisposedException.ThrowIf(disposed, this);
        var entry = entries.GetOrAdd(new ModelKey(manifest.Name, manifest.Version), key => new Entry(key));
        return entry.LoadOnce(() => Load(entry, manifest, versionDirectory, verify));
    }

    public ModelSessionStatus? StatusOf(string name, int version) =>
        entries.TryGetValue(new ModelKey(name, version), out var entry) ? entry.Status : null;

    /// <summary>The ready model, or false while it is loading, failed or unknown.</summary>
    public bool TryGet(string name, int version, [NotNullWhen(true)] out LoadedModel? model)
    {
        model = entries.TryGetValue(new ModelKey(name, version), out var entry) ? entry.Model : null;
        return model is not null;
    }

    /// <summary>Drops one version, or every version of <paramref name="name"/>; sessions close once their inferences finish.</summary>
    /// <returns>How many versions were dropped.</returns>
    public int Evict(string name, int? version = null)
    {
        var evicted = 0;
        foreach (var key in entries.Keys.Where(k => k.Name == name && (version is null || k.Version == version)))
        {
            if (entries.TryRemove(key, out var entry))
            {
                entry.Retire();
                evicted++;
            }
        }

        return evicted;
    }

    public void Dispose()
    {
        disposed = true;
        foreach (var key in entries.Keys)
        {
            if (entries.TryRemove(key, out var entry))
            {
                entry.Retire();
            }
        }
    }

    private ModelSessionStatus Load(Entry entry, ModelManifest manifest, string directory, Func<string?>? verify)
    {
        var sessions = new List<GraphSession>();
        LoadedModel? model = null;
        try
        {
            if (verify?.Invoke() is { } distrust)
            {
                return entry.Fail(ClientSafeText.WithoutPaths(distrust, directory), null);
            }

            foreach (var graph in manifest.Graphs)
            {
                sessions.Add(Open(manifest, graph, directory));
            }

            model = new LoadedModel(manifest, sessions, OrtValues);
            model.WarmUp();
            model.Attach(ModelAdapters.Create(new AdapterContext(model, directory, factory, preference, OrtValues, Batching(model.Key))));
            return entry.Publish(model);
        }
        catch (Exception exception)
        {
            if (model is not null)
            {
                model.Dispose();
            }
            else
            {
                sessions.ForEach(s => s.Dispose());
            }

            var reason = exception is OnnxModelLoadException or ModelContractException ? exception.Message : $"Warm-up inference failed: {exception.Message}";

            // Reasons reach clients (model-not-ready problems, GET /v1/models) and logs: files named within the version folder.
            return entry.Fail(ClientSafeText.WithoutPaths(reason, directory), sessions.FirstOrDefault()?.Provider);
        }
    }

    private GraphSession Open(ModelManifest manifest, ModelGraph graph, string directory)
    {
        OnnxSession session;
        try
        {
            session = factory.Create(Path.Combine(directory, graph.File), preference);
        }
        catch (OnnxModelLoadException exception) when (manifest.Graphs.Count > 1)
        {
            throw new OnnxModelLoadException($"Graph '{graph.Role}': {exception.Message}", exception);
        }

        try
        {
            return new GraphSession(graph, manifest.Input, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private sealed class Entry(ModelKey key)
    {
        private readonly Lock gate = new();
        private Task<ModelSessionStatus>? loading;
        private bool retired;

        public ModelSessionStatus Status { get; private set; } = new(key.Name, key.Version, ModelSessionState.Loading, null, null);

        public LoadedModel? Model { get; private set; }

        public Task<ModelSessionStatus> LoadOnce(Func<ModelSessionStatus> load)
        {
            lock (gate)
            {
                return loading ??= Task.Run(load);
            }
        }

        public ModelSessionStatus Publish(LoadedModel model)
        {
            lock (gate)
            {
                if (retired)
                {
                    model.Dispose(); // evicted while loading
                }
                else
                {
                    Model = model;
                }

                return Status = Status with { State = ModelSessionState.Ready, Provider = model.Provider };
            }
        }

        public ModelSessionStatus Fail(string reason, ExecutionProviderReport? provider)
        {
            lock (gate)
            {
                return Status = Status with { State = ModelSessionState.Failed, Provider = provider, FailureReason = reason };
            }
        }

        public void Retire()
        {
            lock (gate)
            {
                retired = true;
                Model?.Dispose();
                Model = null;
            }
        }
    }
}
