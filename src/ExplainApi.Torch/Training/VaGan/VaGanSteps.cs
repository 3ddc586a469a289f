using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.VaGan;

/// <summary>
/// One VA-GAN generator step inside a <see cref="TrainingLoop"/> (Baumgartner et al., CVPR 2018; WGAN-GP, Gulrajani et
/// al., NeurIPS 2017, Algorithm 1): <see cref="VaGanOptions.CriticStepsAt"/> critic updates on fresh batches, then one
/// generator update on a fresh class-from batch; every <see cref="VaGanOptions.ValidateEvery"/> steps (and after the
/// last) a validation that keeps the best generator's weights. Each update runs in its own dispose scope.
/// </summary>
internal sealed class VaGanSteps(
    VaGanOptions options, MapGenerator generator, Critic critic, KeptAliveAdam generatorAdam, KeptAliveAdam criticAdam,
    WassersteinLosses losses, VaGanBatches batches, VaGanValidation validation) : ITrainingSteps
{
    private const string BestPrefix = "best.";

    private double _bestStep = -1, _bestNcc = double.NaN, _bestEstimate = double.NaN, _ncc = double.NaN, _estimate = double.NaN;
    private List<NamedTensor> _best = [];

    /// <summary>The latest validation's NCC (with masks) and Wasserstein estimate, and the best step so far.</summary>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get
        {
            var metrics = new Dictionary<string, double>();
            if (!double.IsNaN(_estimate))
            {
                (metrics["validationWasserstein"], metrics["bestStep"]) = (_estimate, _bestStep);
            }
            if (!double.IsNaN(_ncc))
            {
                (metrics["validationNcc"], metrics["bestValidationNcc"]) = (_ncc, _bestNcc);
            }
            return metrics;
        }
    }

    /// <summary>The best validation score so far, and the generator step (1-based count) it was reached at; null before the first validation.</summary>
    public (VaGanScore Score, int Step)? Best => _bestStep < 0 ? null : (new VaGanScore(_bestNcc, _bestEstimate), (int)_bestStep);

    public void Declare(CheckpointContent content) => content
        .Scalar("best_step", () => _bestStep, v => _bestStep = v)
        .Scalar("best_ncc", () => _bestNcc, v => _bestNcc = v)
        .Scalar("best_estimate", () => _bestEstimate, v => _bestEstimate = v)
        .Scalar("validation_ncc", () => _ncc, v => _ncc = v)
        .Scalar("validation_estimate", () => _estimate, v => _estimate = v)
        .Tensors(() => _best.Select(t => t with { Name = BestPrefix + t.Name }), Restore);

    public IReadOnlyDictionary<string, double> Step(long step, int epoch, int position)
    {
        double criticLoss = 0, estimate = 0;
        var criticSteps = options.CriticStepsAt(step);
        SetTrainable(critic, true);
        for (var draw = 0; draw < criticSteps; draw++)
        {
            using var scope = NewDisposeScope();
            var (from, to, epsilon) = batches.Draw(step, draw);
            Tensor translated;
            using (no_grad())
            {
                translated = WassersteinLosses.Translate(from, generator.call(from));
            }
            criticAdam.ZeroGrad();
            var (loss, wasserstein) = losses.Critic(critic, to, translated, epsilon);
            loss.backward();
            criticAdam.Step();
            (criticLoss, estimate) = (loss.item<float>(), wasserstein.item<float>());
        }

        SetTrainable(critic, false); // the generator's step needs ∂D/∂y, not the critic's weight gradients
        using var generatorScope = NewDisposeScope();
        var input = batches.Draw(step, criticSteps).From;
        var y = WassersteinLosses.Translate(input, generator.call(input));
        generatorAdam.ZeroGrad();
        var (generatorLoss, l1) = losses.Generator(critic, input, y);
        generatorLoss.backward();
        generatorAdam.Step();
        return new Dictionary<string, double>
        {
            ["critic"] = criticLoss, ["wasserstein"] = estimate, ["generator"] = generatorLoss.item<float>(), ["l1"] = l1.item<float>(),
        };
    }

    public void AfterStep(TrainingLoop loop, int epoch, bool epochDone)
    {
        if (loop.Step % options.ValidateEvery != 0 && !epochDone)
        {
            return;
        }
        var score = validation.Evaluate(generator, critic);
        (_ncc, _estimate) = (score.Ncc, score.Estimate);
        if (score.IsBetterThan(Best?.Score))
        {
            (_bestStep, _bestNcc, _bestEstimate) = (loop.Step, score.Ncc, score.Estimate);
            _best = NamedTensors.Capture(NamedTensors.StateOf(generator));
        }
        loop.Report("validating", epoch, new Dictionary<string, double>(), Metrics);
    }

    /// <summary>Puts the best generator's weights (if any validation ran) into the generator.</summary>
    public void RestoreBest()
    {
        if (_best.Count > 0)
        {
            NamedTensors.CopyInto(NamedTensors.StateOf(generator), _best.ToDictionary(t => t.Name, StringComparer.Ordinal));
        }
    }

    private void Restore(IReadOnlyDictionary<string, NamedTensor> saved) =>
        _best = [.. saved.Values.Where(t => t.Name.StartsWith(BestPrefix, StringComparison.Ordinal)).Select(t => t with { Name = t.Name[BestPrefix.Length..] })];

    private static void SetTrainable(Critic critic, bool trainable)
    {
        foreach (var parameter in critic.parameters())
        {
            parameter.requires_grad = trainable;
        }
    }
}
