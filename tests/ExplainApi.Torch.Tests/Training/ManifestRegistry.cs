using ExplainApi.Core.Models;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Tests.Training;

/// <summary>A read-only registry of given manifests, for the trainers' link checks and resolution (registering is not supported).</summary>
internal sealed class ManifestRegistry(params ModelManifest[] manifests) : IModelRegistry
{
    public ModelManifest? Find(string name, int? version = null) =>
        manifests.Where(m => m.Name == name && (version is null || m.Version == version)).MaxBy(m => m.Version);

    public int? NewestVersion(string name) => Find(name)?.Version;

    public IReadOnlyList<ModelManifest> List(string? name = null) => [.. manifests.Where(m => name is null || m.Name == name)];

    public IReadOnlyList<UnreadableModelVersion> Unreadable(string? name = null) => [];

    public Task<ModelManifest> RegisterAsync(string name, TrainedModel model, string? trainingJob, string? dataset, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<ModelRegistration> RegisterOrReuseAsync(string name, TrainedModel model, string? trainingJob, string? dataset, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<bool> DeleteAsync(string name, int? version, CancellationToken cancellationToken) => throw new NotSupportedException();

    public string VersionDirectory(string name, int version) => throw new NotSupportedException();
}
