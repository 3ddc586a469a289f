using ExplainApi.Core.Training;

namespace ExplainApi.Core.Models;

/// <summary>
/// The on-disk model registry (models/{name}/{version}/). Registration copies the trainer's files in,
/// hashes them, writes the manifest last (atomically), so a half-registered version is never listed.
/// </summary>
public interface IModelRegistry
{
    /// <summary>Registers the next version of <paramref name="name"/>; returns its manifest.</summary>
    Task<ModelManifest> RegisterAsync(string name, TrainedModel model, string? trainingJob, string? dataset, CancellationToken cancellationToken);

    /// <summary>
    /// The existing version of <paramref name="name"/> with the same content (<see cref="ModelContent.Same"/>) when
    /// there is one (Created = false, nothing written), else a new version as <see cref="RegisterAsync"/>.
    /// </summary>
    Task<ModelRegistration> RegisterOrReuseAsync(string name, TrainedModel model, string? trainingJob, string? dataset, CancellationToken cancellationToken);

    /// <summary>Every version of every model (or of <paramref name="name"/> only), newest version first per name.</summary>
    IReadOnlyList<ModelManifest> List(string? name = null);

    /// <summary>
    /// Version folders (of every model, or of <paramref name="name"/>) whose manifest cannot be read (damage on disk),
    /// so that they are shown as failed rather than hidden.
    /// </summary>
    IReadOnlyList<UnreadableModelVersion> Unreadable(string? name = null);

    /// <summary>The newest version folder of <paramref name="name"/>, readable or not (the one a request without a version means); null when none.</summary>
    int? NewestVersion(string name);

    /// <summary>The given version, or the latest when <paramref name="version"/> is null; null when absent.</summary>
    ModelManifest? Find(string name, int? version = null);

    /// <summary>Removes one version (or every version when null); false when nothing matched.</summary>
    Task<bool> DeleteAsync(string name, int? version, CancellationToken cancellationToken);

    /// <summary>The folder holding a version's files.</summary>
    string VersionDirectory(string name, int version);
}
