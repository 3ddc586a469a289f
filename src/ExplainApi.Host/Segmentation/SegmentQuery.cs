using System.ComponentModel;
using ExplainApi.Core.Segmentation;
using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Segmentation;

/// <summary>
/// The query of POST /v1/models/{name}/segment besides the version and the CRF's parameters (<see cref="CrfQuery"/>):
/// whether the network's probabilities are refined, and which pseudo-mask stages of its linked classifier to show.
/// </summary>
public readonly record struct SegmentQuery(
    [property: FromQuery(Name = "refine"), Description("none (default) or crf: refine the network's softmax probabilities with the dense CRF guided by the image (at the model's size, before the labels are resized back), with the CRF parameters below.")] string? Refine,
    [property: FromQuery(Name = "stages"), Description("Comma list of seed, crf, ssdd: also answer, per image, the intermediate masks of weakly supervised training recomputed from the model's linked classifier (CAM seed; its CRF refinement with the parameters below; static SSDD's integration of both by the version's difference detector). JSON only; 409 for a model trained on ground-truth masks, and for ssdd on a version without a static-SSDD detector.")] string? Stages,
    [property: FromQuery(Name = "labelThreshold"), Description("stages: the sigmoid probability a classifier class needs to count as present in the image (default 0.5; 0..1).")] double? LabelThreshold)
{
    public const string None = "none", Crf = "crf";

    private static readonly string Served = string.Join(", ", PseudoMaskStages.All.Select(s => s.Name));

    public bool RefineWithCrf => Refine == Crf;

    /// <summary>The stages asked for, in pipeline order (<see cref="PseudoMaskStages.All"/>), each once; empty when none.</summary>
    public IReadOnlyList<string> StageNames
    {
        get
        {
            var asked = (Stages ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return [.. PseudoMaskStages.All.Select(s => s.Name).Where(asked.Contains)];
        }
    }

    public double Threshold => LabelThreshold ?? ImageLabels.DefaultThreshold;

    /// <summary>What is wrong, naming the query parameter, or null.</summary>
    public string? Validate()
    {
        if (Refine is not (null or None or Crf))
        {
            return $"refine must be {None} or {Crf}; got '{Echo.Value(Refine)}'.";
        }

        foreach (var stage in (Stages ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (PseudoMaskStages.Find(stage) is null)
            {
                return $"stages: unknown stage '{Echo.Value(stage)}'; allowed: {Served}.";
            }
        }

        return Stages is not null && StageNames.Count == 0 ? $"stages must name at least one of {Served}."
            : LabelThreshold is { } t && !(t >= 0 && t <= 1) ? "labelThreshold must be a probability in [0, 1]."
            : null;
    }
}
