namespace ExplainApi.Onnx.Explaining;

/// <summary>
/// What an ONNX classifier offers the saliency methods, and for each thing it lacks, why (shown to clients in a
/// method-unsupported problem, e.g. "no backward graph: the model has no grad_input output").
/// </summary>
public sealed record ExplainableCapabilities(
    string? ActivationsTensor,
    string? MissingActivations,
    string? MissingGradients,
    string? MissingHeadWeights,
    string? MissingSeparableHead);
