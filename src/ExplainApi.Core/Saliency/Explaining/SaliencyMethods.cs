using System.Diagnostics.CodeAnalysis;
using ExplainApi.Core.Saliency.Gradients;
using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// Every saliency method by the name the API uses, and whether a model can run it. The one registry: the CAM
/// family, the perturbation methods and the input-gradient attributions alike.
/// </summary>
public static class SaliencyMethods
{
    /// <summary>The 14 methods with their default settings (per-request settings come in <see cref="SaliencyOptions"/>); stateless and safe to share.</summary>
    public static IReadOnlyList<ISaliencyMethod> All { get; } =
    [
        new Cam(), new GradCam(), new GradCamPlusPlus(), new XGradCam(), new LayerCam(), new HiResCam(),
        new ScoreCam(), new AblationCam(), new EigenCam(), new VanillaGradient(), new SmoothGrad(),
        new IntegratedGradients(), new Occlusion(), new Rise(),
    ];

    /// <summary>The method called <paramref name="name"/> (case-insensitive).</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out ISaliencyMethod? method)
    {
        method = All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        return method is not null;
    }

    /// <summary>True when <paramref name="model"/> offers everything <paramref name="method"/> needs.</summary>
    public static bool Supports(ISaliencyMethod method, IExplainableModel model) => Supports(method, model, out _);

    /// <summary>
    /// True when <paramref name="model"/> offers everything <paramref name="method"/> needs; otherwise
    /// <paramref name="reason"/> says what is missing, in words a client can act on.
    /// </summary>
    public static bool Supports(ISaliencyMethod method, IExplainableModel model, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(model);
        var needs = method.Needs;
        reason =
            method.NeedsGradients && !model.HasGradients ? $"{method.Name} needs gradients; this model was imported without a backward graph."
            : needs.HasFlag(SaliencyNeeds.Activations) && !model.HasActivations ? $"{method.Name} needs the activations of a target layer; this model exposes none."
            : needs.HasFlag(SaliencyNeeds.LinearHead) && !model.HasLinearHead ? $"{method.Name} needs a global-average-pooling → linear head; this model's head is not one."
            : needs.HasFlag(SaliencyNeeds.SeparableHead) && !model.HasSeparableHead ? $"{method.Name} needs to run the head after the target layer on its own; this model cannot."
            : null;
        return reason is null;
    }
}
