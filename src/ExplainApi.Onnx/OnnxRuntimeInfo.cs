namespace ExplainApi.Onnx;

/// <summary>What the host reports about ONNX Runtime at startup and in readiness.</summary>
/// <param name="Version">The native ONNX Runtime version, e.g. 1.31.1.</param>
/// <param name="AvailableProviders">Providers compiled into this build (not all of them may work on this machine).</param>
/// <param name="DefaultProvider">What sessions get for the requested preference.</param>
public sealed record OnnxRuntimeInfo(
    string Version, IReadOnlyList<string> AvailableProviders, ExecutionProviderReport DefaultProvider);
