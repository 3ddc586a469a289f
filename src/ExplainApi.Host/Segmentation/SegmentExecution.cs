using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Segmentation;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Models;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Segmentation;

/// <summary>What one admitted /segment run produced, at the model's size: each image's labels and, with stages, their masks.</summary>
public sealed record SegmentRun(IReadOnlyList<byte[]> Labels, StageRun? Stages);

/// <summary>
/// Per image the classes the linked classifier finds present (its class names), and per stage each image's mask in the
/// segmentation's class order, at the classifier's <paramref name="Height"/> × <paramref name="Width"/>.
/// </summary>
public sealed record StageRun(IReadOnlyList<IReadOnlyList<string>> ImageLabels, IReadOnlyDictionary<string, byte[][]> Masks, int Height, int Width);

/// <summary>The ssdd stage's detector and the segmenter's preprocessed images it reads.</summary>
public sealed record SsddPlan(DifferenceDetectorGraph Detector, IReadOnlyList<float[]> Inputs);

/// <summary>
/// What a /segment request asks beyond the forward pass: the CRF on the probabilities (<paramref name="Refine"/>, null:
/// none), the <paramref name="Stages"/> from <paramref name="Classifier"/> (its own preprocessing of the images in
/// <paramref name="ClassifierInputs"/>) with the stages' CRF <paramref name="StageParameters"/>, and for the ssdd stage the
/// version's <paramref name="Detector"/>.
/// </summary>
public sealed record SegmentPlan(
    DenseCrfParameters? Refine, IReadOnlyList<string> Stages, SeedOptions Seeds, DenseCrfParameters StageParameters,
    LoadedModel? Classifier, IReadOnlyList<float[]> ClassifierInputs, DifferenceDetectorGraph? Detector = null);

/// <summary>
/// The work of POST /v1/models/{name}/segment, run inside the explanation admission: the segmenter's forward pass, the
/// optional dense CRF on its probabilities and the optional pseudo-mask stages of its linked classifier.
/// </summary>
public static class SegmentExecution
{
    /// <summary>
    /// One forward pass per image and the CRF and stages asked for, priced and admitted like an explanation so segmentations
    /// share the machine fairly; the seeds stop between model calls and the CRF between iterations when the token fires.
    /// </summary>
    public static Task<(SegmentRun? Result, ProblemHttpResult? Problem)> RunAsync(
        HttpContext http, AdmittedExplanation admitted, ModelSessionCache cache, LoadedModel model, IReadOnlyList<float[]> inputs, SegmentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(admitted);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(plan);
        var adapter = (SegmentationAdapter)model.Adapter!;
        var spec = model.Manifest.Input;
        var iterations = (plan.Refine ?? plan.StageParameters).Iterations;
        var cost = Cost(inputs.Count, spec, adapter.Classes, plan.Refine is not null, iterations, plan.Stages, plan.Classifier?.Manifest);
        return admitted.RunAsync<SegmentRun>(http, model.Manifest.Name, cost, token =>
        {
            var gone = model.Manifest;
            try
            {
                var labels = Labels(adapter, inputs, spec, plan.Refine, token);
                gone = plan.Classifier?.Manifest ?? gone;
                var ssdd = plan.Detector is null ? null : new SsddPlan(plan.Detector, inputs);
                var staged = plan.Classifier is null ? null
                    : Stages(plan.Classifier, plan.ClassifierInputs, plan.Stages, plan.Seeds, plan.StageParameters, adapter.Section.ClassNames, token, ssdd);
                return (new SegmentRun(labels, staged), null);
            }
            catch (ObjectDisposedException)
            {
                // The segmenter or its classifier was deleted or replaced meanwhile: name the one that went.
                return (null, ModelEndpoints.NotReady(ModelVersionView.From(gone, cache)));
            }
            catch (NotSupportedException exception)
            {
                return (null, StageClassifier.Unavailable($"The linked classifier cannot make CAM seeds: {exception.Message}"));
            }
            catch (NonFiniteModelOutputException exception)
            {
                return (null, SaliencyProblems.NonFinite(exception.Message));
            }
        });
    }

    /// <summary>
    /// Pass-pixels: one per input pixel for the segmenter (and the classifier's forward), plus a CRF's
    /// H × W × labels × iterations as /segmentations/refine counts it (the stages' CRF over at most every class + background).
    /// </summary>
    public static long Cost(int count, ModelInputSpec spec, int classes, bool refine, int iterations, IReadOnlyList<string> stages, ModelManifest? classifier)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(stages);
        var pixels = (long)count * spec.Height * spec.Width;
        var cost = pixels + (refine ? pixels * classes * Math.Max(1, iterations) : 0);
        if (classifier is { Input: var c } && stages.Count > 0)
        {
            var classifierPixels = (long)count * c.Height * c.Width;
            var crf = stages.Contains(PseudoMaskStages.Crf) || stages.Contains(PseudoMaskStages.Ssdd);
            // The detector's one forward pass counts as the segmenter's.
            cost += classifierPixels + (crf ? classifierPixels * (classifier.ClassNames.Count + 1) * Math.Max(1, iterations) : 0)
                + (stages.Contains(PseudoMaskStages.Ssdd) ? pixels : 0);
        }

        return cost;
    }

    /// <summary>
    /// Each image's labels at the model's size: the arg-max of the network's softmax, or with <paramref name="crf"/> of the
    /// dense CRF's marginals from the unary −log p (pydensecrf's unary_from_softmax) guided by the normalised input.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The segmenter was evicted.</exception>
    /// <exception cref="OperationCanceledException">Stopped between CRF iterations.</exception>
    public static IReadOnlyList<byte[]> Labels(
        SegmentationAdapter adapter, IReadOnlyList<float[]> inputs, ModelInputSpec spec, DenseCrfParameters? crf, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(spec);
        token.ThrowIfCancellationRequested();
        var probabilities = adapter.Segment([.. inputs.SelectMany(i => i)], inputs.Count);
        var (classes, item) = (adapter.Classes, adapter.Classes * spec.Height * spec.Width);
        return [.. inputs.Select((input, n) =>
        {
            var own = probabilities.AsSpan(n * item, item);
            if (crf is null)
            {
                return LabelMap.ArgMax(own, classes, spec.Height, spec.Width);
            }

            var guide = PseudoMasks.Guide(input, spec.Channels, spec.Height, spec.Width);
            var result = new DenseCrf(guide, classes, crf).Infer(CrfUnary.FromProbabilities(own), token);
            return result.LabelMap.Select(k => (byte)k).ToArray();
        })];
    }

    /// <summary>
    /// The <paramref name="stages"/> of every image from the classifier (under its lease): CAM seeds of the classes whose
    /// probability reaches <paramref name="threshold"/>, then what each stage makes of them, mapped to the segmentation's
    /// classes by name as the trainer matched them.
    /// </summary>
    /// <param name="ssdd">The detector and the segmenter's inputs, for the ssdd stage.</param>
    /// <exception cref="ObjectDisposedException">The classifier (or the segmenter, for ssdd) was evicted.</exception>
    public static StageRun Stages(
        LoadedModel classifier, IReadOnlyList<float[]> inputs, IReadOnlyList<string> stages, SeedOptions seedOptions, DenseCrfParameters parameters,
        IReadOnlyList<string> segmentationClasses, CancellationToken token, SsddPlan? ssdd = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        var names = classifier.Manifest.ClassNames;
        var lookup = PseudoMaskStages.ToSegmentation(names, segmentationClasses);
        return classifier.Explain(model =>
        {
            var context = new PseudoMaskStageContext(model, inputs, seedOptions, parameters, token)
            {
                Ssdd = ssdd is null ? null : new SsddDetection(SsddStage.On(ssdd.Detector, ssdd.Inputs, lookup), ssdd.Detector.Section.Biases),
            };
            var masks = stages.ToDictionary(s => s, s => context.Masks(s).Select(m => m.Select(k => lookup[k]).ToArray()).ToArray());
            return new StageRun([.. context.Seeds.Select(s => (IReadOnlyList<string>)[.. s.Classes.Select(c => names[c])])], masks, model.Shape.Height, model.Shape.Width);
        });
    }
}
