namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>
/// A classifier as the perturbation methods see it: <paramref name="inputs"/> holds
/// <paramref name="batch"/> images of C×H×W (row-major, one after the other); the result holds
/// batch × classes logits. ONNX Runtime (or a test's managed model) supplies it. The caller reuses
/// <paramref name="inputs"/> for the next batch, so the function must not keep it after returning.
/// </summary>
public delegate float[] BatchForward(float[] inputs, int batch);

/// <summary>
/// Writes perturbed item <paramref name="index"/> (C×H×W) into <paramref name="destination"/>; may be called from several
/// threads at once (<see cref="ForwardContext.Parallelism"/>), so it reads shared state only.
/// </summary>
public delegate void ItemWriter(int index, Span<float> destination);
