namespace ExplainApi.Host.Models;

/// <summary>Problem "type" URIs of the model routes (same prefix as <see cref="Errors.ProblemTypes"/>).</summary>
public static class ModelProblemTypes
{
    private const string Prefix = "urn:explainapi:problem:";

    /// <summary>404: no such model, or no such version of it.</summary>
    public const string ModelNotFound = Prefix + "model-not-found";

    /// <summary>503: the version is registered but still loading, or failed to load (the reason is in detail).</summary>
    public const string ModelNotReady = Prefix + "model-not-ready";

    /// <summary>404: the model exists but has no such version.</summary>
    public const string VersionUnknown = Prefix + "version-unknown";

    /// <summary>400: a saliency method name that is not one of ours (the known ones are listed).</summary>
    public const string MethodUnknown = Prefix + "method-unknown";

    /// <summary>422: the model lacks what the method needs (gradients, a linear head, a separable head…), named in detail.</summary>
    public const string MethodUnsupported = Prefix + "method-unsupported";

    /// <summary>400: the target is neither one of the model's class names nor an index in range.</summary>
    public const string ClassUnknown = Prefix + "class-unknown";

    /// <summary>422: the image's channels or size differ from the model's input and resizing is not allowed (expected C×H×W named).</summary>
    public const string InputShapeMismatch = Prefix + "input-shape-mismatch";

    /// <summary>422: the model returned NaN or infinity for this input; no map is drawn from it.</summary>
    public const string ModelOutputNonFinite = Prefix + "model-output-non-finite";

    /// <summary>422: the model's outputs are not classifier logits, so it cannot be explained (the reason is in detail).</summary>
    public const string ModelNotExplainable = Prefix + "model-not-explainable";

    /// <summary>503: every explanation slot is computing and the waiting queue is full (or the service is stopping); Retry-After says when to try again.</summary>
    public const string ExplainBusy = Prefix + "explain-busy";

    /// <summary>406: the Accept header asks for nothing this route answers in.</summary>
    public const string NotAcceptable = Prefix + "not-acceptable";

    /// <summary>422: an uploaded ONNX model or its spec failed validation (the check that failed is in detail).</summary>
    public const string ModelImportInvalid = Prefix + "model-import-invalid";

    /// <summary>413: the uploaded ONNX model is over the import limit.</summary>
    public const string ModelImportTooLarge = Prefix + "model-import-too-large";
}
