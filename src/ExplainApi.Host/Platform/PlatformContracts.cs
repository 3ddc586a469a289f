using ExplainApi.Onnx;
using ExplainApi.Torch;

namespace ExplainApi.Host.Platform;

/// <summary>What this server is and runs on; KServe V2's server metadata carries the first three fields.</summary>
public sealed record PlatformInfo(
    string Name,
    string Version,
    IReadOnlyList<string> Extensions,
    OnnxRuntimeInfo OnnxRuntime,
    TorchRuntimeInfo? Torch,
    string? TorchUnavailableReason,
    IReadOnlyList<string> ImageFormats,
    IReadOnlyList<string> ColorMaps,
    ImageLimitsInfo Limits,
    Explaining.Admission.ExplainAdmissionInfo Explanations);

public sealed record ImageLimitsInfo(long MaxImageBytes, int MaxWidth, int MaxHeight, long MaxPixels, long MaxVoxels);
