using System.Collections.Concurrent;
using System.Globalization;
using ExplainApi.Core.Storage;
using ExplainApi.Core.Training;

namespace ExplainApi.Core.Models;

/// <summary>
/// The model registry on disk: {root}/{name}/{version}/ holding model.onnx, weights.bin and manifest.json.
/// A registration stages the files in a hidden folder next to the versions, writes the manifest last, then
/// renames the folder to the next version number in one atomic move; a number someone else took meanwhile
/// (another process sharing the folder) makes it try the next. So a version folder either does not exist or
/// is complete; a numbered folder whose manifest cannot be read is damage, reported by <see cref="Unreadable"/>.
/// A registration that fails (a full disk) leaves nothing: its staging folder is removed.
/// </summary>
public sealed partial class FileModelRegistry : IModelRegistry
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);

    // Keyed by version folder: a manifest never changes once its folder exists, so parsing it once is enough.
    private readonly ConcurrentDictionary<string, ModelManifest> manifests = new(StringComparer.Ordinal);
    private readonly TimeProvider clock;
    private readonly IStorageFiles files;

    /// <param name="files">How version files are created (tests put a full disk here); plain files when null.</param>
    public FileModelRegistry(string root, TimeProvider? clock = null, IStorageFiles? files = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Directory.CreateDirectory(Path.GetFullPath(root)).FullName;
        this.clock = clock ?? TimeProvider.System;
        this.files = files ?? DiskFiles.Instance;
        RemoveLeftovers();
    }

    public string Root { get; }

    /// <summary>Raised after a version became visible (outside the registry's lock; handlers must not block).</summary>
    public event EventHandler<ModelRegisteredEventArgs>? Registered;

    /// <summary>Raised after versions were removed.</summary>
    public event EventHandler<ModelDeletedEventArgs>? Deleted;

    /// <exception cref="ArgumentException">The name is invalid, or a file path is not an absolute path to an existing file.</exception>
    public async Task<ModelManifest> RegisterAsync(string name, TrainedModel model, string? trainingJob, string? dataset, CancellationToken cancellationToken) =>
        (await RegisterAsync(name, model, trainingJob, dataset, reuse: false, cancellationToken)).Manifest;

    /// <exception cref="ArgumentException">The name is invalid, or a file path is not an absolute path to an existing file.</exception>
    public Task<ModelRegistration> RegisterOrReuseAsync(string name, TrainedModel model, string? trainingJob, string? dataset, CancellationToken cancellationToken) =>
        RegisterAsync(name, model, trainingJob, dataset, reuse: true, cancellationToken);

    private async Task<ModelRegistration> RegisterAsync(string name, TrainedModel model, string? trainingJob, string? dataset, bool reuse, CancellationToken cancellationToken)
    {
        ModelName.ThrowIfInvalid(name);
        ArgumentNullException.ThrowIfNull(model);
        var sources = SourceFiles(model);

        // Checked before anything is written (so it also answers on a full disk), and again under the lock below.
        if (reuse && SameContent(name, model, trainingJob, dataset, Hashes(sources)) is { } known)
        {
            return new ModelRegistration(known, Created: false);
        }

        var modelDirectory = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
        var staging = Directory.CreateDirectory(Path.Combine(modelDirectory, StagingPrefix + Guid.NewGuid().ToString("N"))).FullName;
        ModelManifest? registered = null;
        try
        {
            var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (file, source) in sources)
            {
                hashes[file] = await ModelFileHashes.CopyAsync(source, Path.Combine(staging, file), files, cancellationToken);
            }

            var gate = locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (reuse && SameContent(name, model, trainingJob, dataset, hashes) is { } raced)
                {
                    return new ModelRegistration(raced, Created: false);
                }

                for (var version = NextVersion(modelDirectory); registered is null; version++)
                {
                    var manifest = ManifestOf(name, version, model, trainingJob, dataset, clock.GetUtcNow(), hashes);
                    var target = Path.Combine(modelDirectory, version.ToString(CultureInfo.InvariantCulture));
                    if (Directory.Exists(target))
                    {
                        continue;
                    }

                    // The manifest goes in last: the move below publishes the folder with it or not at all.
                    await WriteDurablyAsync(Path.Combine(staging, ModelManifest.FileName), ModelManifestJson.Serialize(manifest), CancellationToken.None);
                    try
                    {
                        Directory.Move(staging, target);
                    }
                    catch (IOException) when (Directory.Exists(target))
                    {
                        continue; // another process published this number between our check and the move
                    }

                    manifests[target] = manifest;
                    registered = manifest;
                }
            }
            finally
            {
                gate.Release();
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                TryDeleteDirectory(staging);
            }

            if (registered is null)
            {
                TryDeleteEmptyDirectory(modelDirectory); // a first version that failed leaves no empty model folder
            }
        }

        Registered?.Invoke(this, new ModelRegisteredEventArgs(registered));
        return new ModelRegistration(registered, Created: true);
    }

    public IReadOnlyList<ModelManifest> List(string? name = null) => [.. ModelNames(name).SelectMany(Versions)];

    public IReadOnlyList<UnreadableModelVersion> Unreadable(string? name = null) =>
        [.. ModelNames(name).SelectMany(n => VersionNumbers(n).Where(v => ReadManifest(n, v) is null).Select(v => new UnreadableModelVersion(n, v)))];

    public int? NewestVersion(string name) => ModelName.IsValid(name) ? VersionNumbers(name).Select(v => (int?)v).FirstOrDefault() : null;

    public ModelManifest? Find(string name, int? version = null)
    {
        if (!ModelName.IsValid(name) || version <= 0)
        {
            return null;
        }

        return version is { } v ? ReadManifest(name, v) : Versions(name).FirstOrDefault();
    }

    public async Task<bool> DeleteAsync(string name, int? version, CancellationToken cancellationToken)
    {
        if (!ModelName.IsValid(name) || version <= 0)
        {
            return false;
        }

        List<int> removed;
        var gate = locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Unreadable versions too: deleting is how an operator clears a damaged one.
            removed = [.. VersionNumbers(name).Where(v => version is null || v == version)];
            var modelDirectory = Path.Combine(Root, name);
            if (version is { } one)
            {
                MoveToTrashAndDelete(Path.Combine(modelDirectory, one.ToString(CultureInfo.InvariantCulture)), modelDirectory);
                TryDeleteEmptyDirectory(modelDirectory);
            }
            else
            {
                MoveToTrashAndDelete(modelDirectory, Root);
            }

            foreach (var key in manifests.Keys.Where(k => k.StartsWith(modelDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            {
                if (!Directory.Exists(key))
                {
                    manifests.TryRemove(key, out _);
                }
            }
        }
        finally
        {
            gate.Release();
        }

        if (removed.Count > 0)
        {
            Deleted?.Invoke(this, new ModelDeletedEventArgs(name, removed));
        }

        return removed.Count > 0;
    }

    /// <exception cref="ArgumentException">The name is invalid.</exception>
    public string VersionDirectory(string name, int version)
    {
        ModelName.ThrowIfInvalid(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        return Path.Combine(Root, name, version.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// One message per file of the version that is missing or whose SHA-256 differs from the manifest, each starting
    /// with the file name (e.g. "model.onnx: missing"); empty when the version is intact.
    /// </summary>
    public IReadOnlyList<string> VerifyFiles(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return ModelFileHashes.Verify(manifest, VersionDirectory(manifest.Name, manifest.Version));
    }

    /// <summary>Versions of one model with a valid manifest, newest first.</summary>
    private List<ModelManifest> Versions(string name) => [.. VersionNumbers(name).Select(v => ReadManifest(name, v)).OfType<ModelManifest>()];

    /// <summary>Every version folder of one model, readable or not, newest first.</summary>
    private IEnumerable<int> VersionNumbers(string name) =>
        Subdirectories(Path.Combine(Root, name)).Select(d => ParseVersion(Path.GetFileName(d))).Where(v => v > 0).OrderDescending();

    private IEnumerable<string> ModelDirectories() =>
        Subdirectories(Root).Where(d => ModelName.IsValid(Path.GetFileName(d))).Order(StringComparer.Ordinal);

    /// <summary>Every model's name, or just <paramref name="name"/> (a request for one model reads only its folder).</summary>
    private IEnumerable<string> ModelNames(string? name) =>
        name is null ? ModelDirectories().Select(d => Path.GetFileName(d)!) : ModelName.IsValid(name) ? [name] : [];

    private ModelManifest? ReadManifest(string name, int version)
    {
        var directory = VersionDirectory(name, version);
        if (manifests.TryGetValue(directory, out var cached))
        {
            return Directory.Exists(directory) ? cached : null;
        }

        var manifest = ModelManifestJson.TryRead(Path.Combine(directory, ModelManifest.FileName));
        if (manifest is null || manifest.Name != name || manifest.Version != version)
        {
            return null;
        }

        manifests[directory] = manifest;
        return manifest;
    }

    private ModelManifest? SameContent(string name, TrainedModel model, string? trainingJob, string? dataset, IReadOnlyDictionary<string, string> hashes)
    {
        var candidate = ManifestOf(name, 0, model, trainingJob, dataset, default, hashes);
        return Versions(name).FirstOrDefault(m => ModelContent.Same(m, candidate));
    }

    /// <summary>The manifest of a version registered from <paramref name="model"/>: each graph is stored as <c>{role}.onnx</c>.</summary>
    private static ModelManifest ManifestOf(
        string name, int version, TrainedModel model, string? trainingJob, string? dataset, DateTimeOffset createdAt, IReadOnlyDictionary<string, string> hashes) =>
        new(name, version, model.Task, model.Input, [.. model.Graphs.Select(g => g with { File = g.Role + ".onnx" })],
            model.Classification, model.DifferenceMap, trainingJob, dataset, model.Metrics, createdAt, hashes, Segmentation: model.Segmentation);

    /// <summary>
    /// The files to copy, by their name in the version folder (graphs as <c>{role}.onnx</c>, others by their own name):
    /// absolute paths of existing files, distinct names, and a consistent manifest (one that could not be read back is never written).
    /// </summary>
    private static List<(string File, string Source)> SourceFiles(TrainedModel model)
    {
        var sources = new List<(string File, string Source)>();
        foreach (var (source, file) in model.Graphs.Select(g => (g.File, g.Role + ".onnx")).Concat(model.OtherFiles.Select(f => (f, Path.GetFileName(f)))))
        {
            RequireSourceFile(source, nameof(model));
            if (file == ModelManifest.FileName || sources.Any(s => s.File == file))
            {
                throw new ArgumentException($"File name '{file}' is reserved or used twice.", nameof(model));
            }

            sources.Add((file, source));
        }

        var probe = ManifestOf("probe", 1, model, null, null, default, sources.ToDictionary(s => s.File, _ => ""));
        if (probe.Inconsistency() is { } inconsistency)
        {
            throw new ArgumentException($"The trained model cannot be registered: {inconsistency}.", nameof(model));
        }

        return sources;
    }

    private static SortedDictionary<string, string> Hashes(IEnumerable<(string File, string Source)> sources) =>
        new(sources.ToDictionary(s => s.File, s => ModelFileHashes.Compute(s.Source)), StringComparer.Ordinal);

    private int NextVersion(string modelDirectory) =>
        Subdirectories(modelDirectory).Select(d => ParseVersion(Path.GetFileName(d))).DefaultIfEmpty(0).Max() + 1;

    private static void RequireSourceFile(string path, string parameter)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path) || !File.Exists(path))
        {
            throw new ArgumentException($"{parameter} must be an absolute path to an existing file; got '{path}'.", parameter);
        }
    }
}
