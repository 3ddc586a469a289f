namespace ExplainApi.Onnx.Explaining;

/// <summary>
/// The tensor and metadata names of our exported classifiers (see the exporter, ResNetOnnx): inputs <c>input</c>
/// float32 [N,C,H,W] and <c>target</c> int64 [N] (negative = the predicted class); outputs logits, probabilities,
/// the CAM target layer's activations, the resolved target class and the two gradients; metadata naming the
/// head's weight initializer.
/// </summary>
public static class ExplainableGraphNames
{
    public const string Input = "input";
    public const string Target = "target";
    public const string Logits = "logits";
    public const string Probabilities = "probabilities";
    public const string Activations = "activations";
    public const string TargetClass = "target_class";
    public const string ActivationGradients = "grad_activations";
    public const string InputGradients = "grad_input";

    public const string TargetLayerKey = "target_layer";
    public const string HeadKey = "head";
    public const string HeadWeightKey = "head_weight";
    public const string GapLinearHead = "gap-linear";
}
