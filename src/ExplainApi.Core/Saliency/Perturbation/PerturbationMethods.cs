using System.Diagnostics.CodeAnalysis;

namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>The forward-only methods that need just the image and a model, by the name the API uses, with their default settings.</summary>
public static class PerturbationMethods
{
    /// <summary>Every method with defaults (RISE seeded with 0), stateless and safe to share.</summary>
    public static IReadOnlyList<IPerturbationMethod> All { get; } = [new Occlusion(), new Rise()];

    /// <summary>The method called <paramref name="name"/> (case-insensitive).</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out IPerturbationMethod? method)
    {
        method = All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        return method is not null;
    }
}
