using System.Security.Cryptography;
using ExplainApi.Core.Models;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Host.Models;

/// <summary>
/// An import that repeats a loaded version (same ONNX bytes by SHA-256, same spec) is answered from that version
/// without building an ONNX Runtime session. Versions not loaded are matched by the registry after validation.
/// </summary>
public static class ModelImportReuse
{
    private static readonly string EmptyHash = Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty));

    /// <summary>The loaded version with the same content, and the methods it serves; null when there is none.</summary>
    public static (ModelManifest Manifest, ModelImportResultMethods Methods)? FindLoaded(
        byte[] onnx, ModelImportSpec spec, IModelRegistry registry, ModelSessionCache cache)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(cache);
        var hash = Convert.ToHexStringLower(SHA256.HashData(onnx));
        foreach (var version in registry.List(spec.Name))
        {
            if (version.Files.GetValueOrDefault(ModelManifest.OnnxFileName) != hash || !cache.TryGet(version.Name, version.Version, out var loaded))
            {
                continue;
            }

            // Without input.name the validator takes the graph's only input: the loaded session says which that is.
            var inputName = spec.Input.Name ?? (loaded.Inputs.Count == 1 ? loaded.Inputs[0].Name : null);
            if (inputName is null || !ModelContent.Same(version, AsImported(spec, inputName, hash)))
            {
                continue;
            }

            try
            {
                return (version, loaded.Explain(ModelImportValidator.MethodsOf));
            }
            catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
            {
                return null; // evicted or not explainable meanwhile: validate as a new upload would be
            }
        }

        return null;
    }

    /// <summary>The manifest an import of <paramref name="spec"/> would register (name, version and time aside).</summary>
    private static ModelManifest AsImported(ModelImportSpec spec, string inputName, string onnxHash) => new(
        spec.Name, 0, ModelTask.Classification, ModelImportValidator.InputOf(spec, inputName), [new ModelGraph(ModelGraph.ClassifierRole, ModelManifest.OnnxFileName)],
        new ClassificationSection(spec.ClassNames, [spec.TargetTensor]), null, null, null,
        new Dictionary<string, double>(), default,
        new Dictionary<string, string> { [ModelManifest.OnnxFileName] = onnxHash, [ModelManifest.WeightsFileName] = EmptyHash });
}
