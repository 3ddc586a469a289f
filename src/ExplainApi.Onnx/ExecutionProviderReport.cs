namespace ExplainApi.Onnx;

/// <summary>Which execution provider a session got, and why it is not the one asked for.</summary>
/// <param name="Provider">An ONNX Runtime provider name, e.g. <c>CPUExecutionProvider</c>.</param>
/// <param name="Requested">What the caller asked for.</param>
/// <param name="FallbackReason">Why CUDA was not used; null when nothing fell back.</param>
public sealed record ExecutionProviderReport(string Provider, AcceleratorPreference Requested, string? FallbackReason);
