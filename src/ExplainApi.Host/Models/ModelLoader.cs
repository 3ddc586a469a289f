using System.Threading.Channels;
using ExplainApi.Core.Models;
using ExplainApi.Host.Logging;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Host.Models;

/// <summary>
/// Keeps the session cache in step with the registry: at start every registered version is queued for loading
/// (newest first), a new registration is loaded as soon as it is published, and a deletion evicts at once.
/// Loads run one at a time in the background, so readiness says "loading" rather than the start blocking.
/// </summary>
public sealed class ModelLoader(FileModelRegistry registry, ModelSessionCache cache, ILogger<ModelLoader> logger) : BackgroundService
{
    private readonly Channel<ModelManifest> pending = Channel.CreateUnbounded<ModelManifest>(new UnboundedChannelOptions { SingleReader = true });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribe before listing so that nothing registered in between is missed (a duplicate load is a no-op).
        registry.Registered += OnRegistered;
        registry.Deleted += OnDeleted;
        // Folders relative to the models folder, versions by name: no server path in the log.
        foreach (var ignored in registry.IgnoredFolders())
        {
            logger.LogWarning("Models folder entry {ModelFolder} ignored: {Reason}", ignored.Folder, ignored.Reason);
        }

        foreach (var unreadable in registry.Unreadable())
        {
            logger.LogError("Model {ModelName} version {ModelVersion} is listed as failed: {FailureReason}", unreadable.Name, unreadable.Version, UnreadableModelVersion.Reason);
        }

        foreach (var manifest in registry.List())
        {
            pending.Writer.TryWrite(manifest);
        }

        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        registry.Registered -= OnRegistered;
        registry.Deleted -= OnDeleted;
        pending.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var manifest in pending.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await LoadAsync(manifest);
                }
                catch (Exception exception)
                {
                    // A background service that throws stops the host; one model must not take the service down.
                    logger.LogError("Loading model {ModelName} version {ModelVersion} failed unexpectedly: {ExceptionType} ({FailureKind}) at {StackTrace}",
                        manifest.Name, manifest.Version, exception.GetType().FullName, FailureKinds.Of(exception), exception.StackTrace);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown while waiting for work: nothing to clean up.
        }
    }

    private async Task LoadAsync(ModelManifest manifest)
    {
        if (registry.Find(manifest.Name, manifest.Version) is null)
        {
            return; // deleted while queued
        }

        var folder = registry.VersionDirectory(manifest.Name, manifest.Version);
        var status = await cache.EnsureLoadedAsync(manifest, folder, () => Distrust(registry, manifest));
        switch (status)
        {
            case { State: ModelSessionState.Failed }:
                logger.LogError("Model {ModelName} version {ModelVersion} failed to load: {FailureReason}", status.Name, status.Version, status.FailureReason);
                break;
            case { Provider.FallbackReason: { } fallback }:
                logger.LogInformation("Model {ModelName} version {ModelVersion} ready on {ExecutionProvider} (asked for {Requested}; fell back because {FallbackReason})",
                    status.Name, status.Version, status.Provider.Provider, status.Provider.Requested, fallback);
                break;
            default:
                logger.LogInformation("Model {ModelName} version {ModelVersion} ready on {ExecutionProvider}", status.Name, status.Version, status.Provider?.Provider);
                break;
        }

        if (cache.TryGet(manifest.Name, manifest.Version, out var loaded) && loaded.Adapter is ClassificationAdapter { NotExplainableReason: { } reason })
        {
            logger.LogWarning("Model {ModelName} version {ModelVersion} serves inference but no explanations: {Reason}", manifest.Name, manifest.Version, reason);
        }

        // Deleted while loading: the eviction may have run before the session existed.
        if (registry.Find(manifest.Name, manifest.Version) is null)
        {
            cache.Evict(manifest.Name, manifest.Version);
        }
    }

    /// <summary>
    /// Files are re-hashed before a session is built: a corrupted or swapped file is never served (or evaluated).
    /// Returns why the files cannot be trusted, or null.
    /// </summary>
    public static string? Distrust(FileModelRegistry registry, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var problems = registry.VerifyFiles(manifest);
        return problems.Count == 0 ? null : "Files differ from the manifest: " + string.Join("; ", problems);
    }

    private void OnRegistered(object? sender, ModelRegisteredEventArgs e) => pending.Writer.TryWrite(e.Manifest);

    private void OnDeleted(object? sender, ModelDeletedEventArgs e)
    {
        foreach (var version in e.Versions)
        {
            cache.Evict(e.Name, version);
        }

        logger.LogInformation("Model {ModelName} versions {ModelVersions} deleted and evicted", e.Name, e.Versions);
    }
}
