using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using ExplainApi.Core;
using ExplainApi.Core.Models;
using ExplainApi.Onnx.Explaining;

namespace ExplainApi.Onnx.Serving;

/// <summary>
/// One warmed ONNX Runtime session per model version, created once and shared across threads. Loading happens
/// on the thread pool; concurrent <see cref="EnsureLoadedAsync"/> calls for one version share one load. A failed
/// load stays failed (versions are immutable) until the version is evicted.
/// </summary>
public sealed class ModelSessionCache(OnnxSessionFactory factory, AcceleratorPreference preference) : IDisposable
{
    private readonly ConcurrentDictionary<ModelKey, Entry> entries = new();
    private volatile bool disposed;

    public AcceleratorPreference Preference => preference;

    /// <summary>Counts every OrtValue the served models create; <see cref="OrtValueTracker.Live"/> is 0 between requests.</summary>
    public OrtValueTracker OrtValues { get; } = new();

    /// <summary>Every version the cache holds, by name then newest version first.</summary>
    public IReadOnlyList<ModelSessionStatus> States =>
        [.. entries.Values.Select(e => e.Status).OrderBy(s => s.Name, StringComparer.Ordinal).ThenByDescending(s => s.Version)];

    /// <summary>
    /// Loads and warms the version unless it is loaded or loading already. Never throws for a bad model: the
    /// returned status (also in <see cref="States"/>) is Failed with the reason.
    /// </summary>
    /// <param name="verify">Run before loading; returns why the files cannot be trusted (e.g. a hash mismatch), or null.</param>
    public Task<ModelSessionStatus> EnsureLoadedAsync(ModelManifest manifest, string onnxPath, Func<string?>? verify = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        ObjectDisposedException.ThrowIf(disposed, this);
        var entry = entries.GetOrAdd(new ModelKey(manifest.Name, manifest.Version), key => new Entry(key));
        return entry.LoadOnce(() => Load(entry, manifest, onnxPath, verify));
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

    private ModelSessionStatus Load(Entry entry, ModelManifest manifest, string onnxPath, Func<string?>? verify)
    {
        OnnxSession? session = null;
        try
        {
            if (verify?.Invoke() is { } distrust)
            {
                return entry.Fail(ClientSafeText.WithoutPaths(distrust, Path.GetDirectoryName(onnxPath)), null);
            }

            session = factory.Create(onnxPath, preference);
            var model = new LoadedModel(manifest, session, OrtValues);
            model.WarmUp();
            AttachExplainable(model, manifest, onnxPath);

            return entry.Publish(model);
        }
        catch (Exception exception)
        {
            session?.Dispose();
            var reason = exception is OnnxModelLoadException ? exception.Message : $"Warm-up inference failed: {exception.Message}";

            // Reasons reach clients (model-not-ready problems, GET /v1/models) and logs: files named within the version folder.
            return entry.Fail(ClientSafeText.WithoutPaths(reason, Path.GetDirectoryName(onnxPath)), session?.Provider);
        }
    }

    /// <summary>
    /// The saliency form is optional: a model whose outputs are not classifier logits still serves KServe metadata
    /// and plain inference; its explanation requests answer with the reason recorded here.
    /// </summary>
    private void AttachExplainable(LoadedModel model, ModelManifest manifest, string onnxPath)
    {
        try
        {
            var builder = new OnnxExplainableModelBuilder(factory, preference, OrtValues);
            model.Attach(builder.Build(File.ReadAllBytes(onnxPath), ExplainableModelSpec.From(manifest), model.Session));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            model.NotExplainableReason = ClientSafeText.WithoutPaths(exception.Message, Path.GetDirectoryName(onnxPath));
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
