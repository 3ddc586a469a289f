namespace ExplainApi.Host.Models;

/// <summary>Problem "type" URIs of the model routes (same prefix as <see cref="Errors.ProblemTypes"/>).</summary>
public static class ModelProblemTypes
{
    private const string Prefix = "urn:explainapi:problem:";

    /// <summary>404: no such model, or no such version of it.</summary>
    public const string ModelNotFound = Prefix + "model-not-found";

    /// <summary>503: the version is registered but still loading, or failed to load (the reason is in detail).</summary>
    public const string ModelNotReady = Prefix + "model-not-ready";
}
