namespace ExplainApi.Onnx.Serving;

/// <summary>One model version as the serving cache knows it.</summary>
public readonly record struct ModelKey(string Name, int Version)
{
    public override string ToString() => $"{Name}/{Version}";
}

public enum ModelSessionState
{
    Loading,
    Ready,
    Failed,
}

/// <summary>Where a model version is: loading, ready on <paramref name="Provider"/>, or failed and why.</summary>
/// <param name="Provider">The execution provider the session got (null until a session exists).</param>
/// <param name="FailureReason">Why loading or warming up failed; null unless <see cref="ModelSessionState.Failed"/>.</param>
public sealed record ModelSessionStatus(string Name, int Version, ModelSessionState State, ExecutionProviderReport? Provider, string? FailureReason);

/// <summary>
/// A model input or output for KServe V2 metadata: <paramref name="Datatype"/> is the KServe name (FP32, INT64…) and
/// <paramref name="Shape"/> has -1 for every dynamic (symbolic) dimension.
/// </summary>
public sealed record ModelTensorInfo(string Name, string Datatype, IReadOnlyList<long> Shape);

/// <summary>One output of an inference: its name, flat values, shape and KServe datatype (integer outputs keep theirs, values converted).</summary>
public sealed record ModelOutput(string Name, float[] Values, IReadOnlyList<long> Shape, string Datatype = "FP32");
