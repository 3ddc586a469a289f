using ExplainApi.Core.Models;

namespace ExplainApi.Host.Models;

/// <summary>
/// The JSON spec sent with an imported ONNX classifier: its name, input, class names (in logit order) and the
/// tensor the CAM-family methods read (a 4-D [N, K, h, w] intermediate, typically the last convolutional block).
/// The logits are the output named "logits", else the first output.
/// </summary>
public sealed record ModelImportSpec(string Name, ModelImportInput Input, IReadOnlyList<string> ClassNames, string TargetTensor);

/// <summary>
/// The model's input: C×H×W, the graph input's name (default: its only input), whether other image sizes may be
/// resized to it, and how training normalised images: <c>window-standardize</c> (the image's window to [0, 1], then
/// (v − mean) / std; default mean = std = 0.5) or <c>per-image-minmax-symmetric</c> (min–max to [−1, 1]).
/// </summary>
public sealed record ModelImportInput(
    int Channels, int Height, int Width, string? Name = null, bool AllowResize = false,
    string? Normalization = null, IReadOnlyList<float>? Mean = null, IReadOnlyList<float>? Std = null);

/// <summary>The registered version and which saliency methods it serves (and why the others not).</summary>
public sealed record ModelImportResult(ModelManifest Manifest, IReadOnlyList<string> SupportedMethods, IReadOnlyDictionary<string, string> UnsupportedMethods);
