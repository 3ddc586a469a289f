using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Onnx.Explaining;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Explaining;

/// <summary>
/// Turns the request's <c>method</c> values (repeatable, comma-separated, or <c>all</c>: every method this model
/// supports) and <c>target</c> (a class name or an index) into what the runner takes, or a problem.
/// </summary>
public static class MethodSelection
{
    public const string DefaultMethod = "gradcam";
    public const string All = "all";

    public static (IReadOnlyList<ISaliencyMethod>? Methods, ProblemHttpResult? Problem) Select(IEnumerable<string?>? requested, OnnxExplainableModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var names = (requested ?? []).SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (names.Count == 0)
        {
            names.Add(DefaultMethod);
        }

        var methods = new List<ISaliencyMethod>();
        var unsupported = new List<string>();
        foreach (var name in names)
        {
            if (string.Equals(name, All, StringComparison.OrdinalIgnoreCase))
            {
                methods.AddRange(SaliencyMethods.All.Where(m => SaliencyMethods.Supports(m, model)));
                continue;
            }

            if (!SaliencyMethods.TryGet(name, out var method))
            {
                return (null, SaliencyProblems.MethodUnknown(name, SaliencyMethods.All.Select(m => m.Name)));
            }

            if (!SaliencyMethods.Supports(method, model, out var reason))
            {
                unsupported.Add($"{reason} Model lacks: {Lacking(method, model.Capabilities)}.");
            }

            methods.Add(method);
        }

        return unsupported.Count > 0
            ? (null, SaliencyProblems.MethodUnsupported(unsupported.Distinct()))
            : ([.. methods.Distinct()], null);
    }

    /// <summary>The class index a target names: null for none (explain the predicted class), or a problem.</summary>
    public static (int? Target, ProblemHttpResult? Problem) Target(string? target, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (string.IsNullOrWhiteSpace(target))
        {
            return (null, null);
        }

        var byName = classes.Select((c, i) => (c, i)).FirstOrDefault(x => string.Equals(x.c, target, StringComparison.OrdinalIgnoreCase));
        if (byName.c is not null)
        {
            return (byName.i, null);
        }

        return int.TryParse(target, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < classes.Count
            ? (index, null)
            : (null, SaliencyProblems.ClassUnknown(target, classes));
    }

    /// <summary>The specific reasons from the model's capabilities for what the method needs.</summary>
    private static string Lacking(ISaliencyMethod method, ExplainableCapabilities capabilities)
    {
        var needs = method.Needs;
        IEnumerable<string?> reasons =
        [
            method.NeedsGradients ? capabilities.MissingGradients : null,
            needs.HasFlag(SaliencyNeeds.Activations) ? capabilities.MissingActivations : null,
            needs.HasFlag(SaliencyNeeds.LinearHead) ? capabilities.MissingHeadWeights : null,
            needs.HasFlag(SaliencyNeeds.SeparableHead) ? capabilities.MissingSeparableHead : null,
        ];
        return string.Join("; ", reasons.OfType<string>().Distinct());
    }
}
