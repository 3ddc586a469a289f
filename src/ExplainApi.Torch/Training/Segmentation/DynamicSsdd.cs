using ExplainApi.Core.Datasets;
using ExplainApi.Core.Segmentation;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// Dynamic SSDD (Shimoda and Yanai, ICCV 2019, §3.5; the released <c>train_dssdd.py</c>) as the segmenter's objective:
/// module 1 integrates the prediction K₁ and its low-resolution CRF A₁, module 2 integrates the seed K₂ (static SSDD's
/// output) and module 1's result; loss CE(main, refined) + ½·CE(sub, seed) + ½·CE(sub, refined), where "sub" is a
/// second 1×1 head on the decoder. Both difference detectors train on detached features with their own Adam.
/// </summary>
public sealed class DynamicSsdd : IDisposable
{
    private static readonly Tensor Half = tensor(0.5f).DetachFromDisposeScope(); // a tensor, not a Scalar (see LiveScalars)

    private readonly IMultiLabelDataset dataset;
    private readonly Conv2d sub;
    private readonly DifferenceDetector module1, module2;
    private readonly KeptAliveAdam subAdam, detectorAdam;
    private readonly (string Name, TorchSharp.Modules.Parameter Parameter)[] subParameters, detectorParameters;
    private readonly DenseCrfParameters crf;

    public DynamicSsdd(IMultiLabelDataset dataset, SegmentationOptions options, int crfIterations = 3)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        this.dataset = dataset;
        var classes = dataset.ClassNames.Count + 1;
        using (NewDisposeScope())
        {
            sub = nn.Conv2d(options.Width, classes, 1);
        }
        (module1, module2) = (new DifferenceDetector(options.Width, classes), new DifferenceDetector(options.Width, classes));
        SeededInitialization.Apply(sub, options.Seed + 2);
        SeededInitialization.Apply(module1, options.Seed + 3);
        SeededInitialization.Apply(module2, options.Seed + 4);
        subParameters = [.. sub.named_parameters()];
        detectorParameters = [.. module1.named_parameters().Select(p => ("1." + p.name, p.parameter)), .. module2.named_parameters().Select(p => ("2." + p.name, p.parameter))];
        subAdam = new KeptAliveAdam(subParameters.Select(p => p.Parameter), options.LearningRate, beta1: 0.9, beta2: 0.999, weightDecay: 0);
        detectorAdam = new KeptAliveAdam(detectorParameters.Select(p => p.Parameter), options.LearningRate, beta1: 0.9, beta2: 0.999, weightDecay: 0);
        crf = options.CrfParameters with { Iterations = crfIterations };
        // The released code's training biases (b_dd 0.4, b_bg 0) with the run's erased-class threshold and sign, as the static phase
        // integrates: f_c was fixed at 0.5 here. With class weights the loop collapses either way (docs/segmentation.md, 2026-12-08).
        var configured = options.Ssdd?.Biases ?? SsddBiases.Static;
        Biases = SsddBiases.Training with { ErasedRatio = configured.ErasedRatio, Sign = configured.Sign };
    }

    /// <summary>Both modules' integration biases.</summary>
    public SsddBiases Biases { get; }

    /// <summary>Adds the sub head, both detectors and their Adam states to the segmentation run's checkpoint.</summary>
    public CheckpointContent AddTo(CheckpointContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content.Module("dssdd.sub.", sub).Module("dssdd.module1.", module1).Module("dssdd.module2.", module2)
            .Adam("dssdd.adam.sub.", subAdam, [.. subParameters.Select(p => p.Name)])
            .Adam("dssdd.adam.detectors.", detectorAdam, [.. detectorParameters.Select(p => p.Name)]);
    }

    /// <summary>Trains both detectors one step and returns the segmenter's loss (the caller backpropagates it, then calls <see cref="AfterBackward"/>).</summary>
    /// <param name="seeds">The batch's seeds [N, H, W] (int64).</param>
    /// <param name="batch">The batch's dataset indices (for the image-level labels).</param>
    public (Tensor Loss, double? DetectorLoss) Loss(UNetSegmenter model, Tensor inputs, Tensor seeds, ReadOnlySpan<int> batch, Tensor? weights)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(seeds);
        sub.train();
        var (logits, early, head) = model.ForwardWithFeatures(inputs);
        var (n, h, w) = ((int)inputs.shape[0], (int)inputs.shape[2], (int)inputs.shape[3]);
        var labels = batch.ToArray().Select(i => ImageLabels.FromMultiHot(dataset.LabelsOf(i)).Select(c => c + 1).ToArray()).ToArray();

        // Module 1: the prediction and its CRF (a low-resolution, 3-iteration CRF per image).
        byte[][] prediction, advice;
        using (no_grad())
        {
            var probabilities = nn.functional.softmax(logits, 1).contiguous().data<float>().ToArray();
            var pixels = inputs.contiguous().data<float>().ToArray();
            var (plane, classes) = (h * w, (int)logits.shape[1]);
            prediction = [.. Enumerable.Range(0, n).Select(i => LabelMap.ArgMax(probabilities.AsSpan(i * classes * plane, classes * plane), classes, h, w))];
            advice = [.. Enumerable.Range(0, n).Select(i => PseudoMasks.RefineProbabilities(
                PseudoMasks.Guide(pixels.AsSpan(i * dataset.Channels * plane, dataset.Channels * plane), dataset.Channels, h, w),
                probabilities.AsSpan(i * classes * plane, classes * plane), classes, labels[i], crf))];
        }
        var seedMasks = LabelTensors.To(seeds);
        var (refined1, loss1) = Integrate(module1, early, head, prediction, advice, labels, Biases);
        var (refined, loss2) = Integrate(module2, early, head, seedMasks, refined1, labels, Biases);
        var detectorLoss = stack([loss1, loss2]).mean();
        detectorAdam.ZeroGrad();
        detectorLoss.backward();
        detectorAdam.Step();

        subAdam.ZeroGrad();
        var target = LabelTensors.From(refined, h, w);
        var subLogits = sub.call(head);
        var loss = stack([
            nn.functional.cross_entropy(logits, target, weights),
            nn.functional.cross_entropy(subLogits, seeds, weights) * Half,
            nn.functional.cross_entropy(subLogits, target, weights) * Half]).sum();
        return (loss, detectorLoss.item<float>());
    }

    /// <summary>Steps the sub head (its gradient came with the segmenter's loss).</summary>
    public void AfterBackward() => subAdam.Step();

    /// <summary>One module: d_K, d_A, their balanced BCE against K ≠ A, and the integration with the training biases (b_dd = 0.4, b_bg = 0).</summary>
    private static (byte[][] Refined, Tensor Loss) Integrate(
        DifferenceDetector module, Tensor early, Tensor head, byte[][] knowledge, byte[][] advice, int[][] labels, SsddBiases biases)
    {
        var (n, h, w) = (knowledge.Length, (int)early.shape[2], (int)early.shape[3]);
        var (k, a) = (LabelTensors.From(knowledge, h, w), LabelTensors.From(advice, h, w));
        module.train();
        var features = module.Features(early.detach(), head.detach());
        var (dK, dA) = (module.Detect(features, k), module.Detect(features, a));
        var erased = Enumerable.Range(0, n).Select(i => SsddIntegration.ErasedClasses(knowledge[i], advice[i], labels[i], biases.ErasedRatio)).ToArray();
        var include = tensor(Enumerable.Range(0, n).Select(i => SsddIntegration.LostALabel(erased[i], labels[i]) ? 0f : 1f).ToArray());
        var differ = k.ne(a);
        var loss = stack([DifferenceDetector.BalancedLoss(dK, differ, include), DifferenceDetector.BalancedLoss(dA, differ, include)]).mean();
        var (logitsK, logitsA) = (dK.detach().contiguous().data<float>().ToArray(), dA.detach().contiguous().data<float>().ToArray());
        var plane = h * w;
        var refined = Enumerable.Range(0, n).Select(i => SsddIntegration.Integrate(knowledge[i], advice[i],
            logitsK.AsSpan(i * plane, plane), logitsA.AsSpan(i * plane, plane), erased[i], biases)).ToArray();
        return (refined, loss);
    }

    public void Dispose()
    {
        subAdam.Dispose();
        detectorAdam.Dispose();
        sub.Dispose();
        module1.Dispose();
        module2.Dispose();
    }
}
