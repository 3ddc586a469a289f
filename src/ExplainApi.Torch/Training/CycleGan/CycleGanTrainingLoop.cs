using ExplainApi.Core.Training;
using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// What a CycleGAN run ends with: validation metrics of the kept generators and the step they come from (G_A's, and
/// G_B's when each direction is selected on its own).
/// </summary>
public sealed record CycleGanTrainingResult(Dictionary<string, double> Validation, long BestStep, long? BestStepB2A = null);

/// <summary>
/// CycleGAN's steps inside the shared <see cref="TrainingLoop"/> (one "epoch" of all steps, since batches are drawn per
/// step): <see cref="CycleGanStep"/> on <see cref="UnpairedBatches"/> with the <see cref="LinearDecay"/> learning rate,
/// validation every <see cref="CycleGanOptions.ValidateEvery"/> steps and after the last.
/// <para>The checkpoint holds <c>net.*</c> (the four networks), <c>adam_G.</c>, <c>adam_D_A.</c>, <c>adam_D_B.</c>
/// (moments and step counts), <c>pool_A</c>/<c>pool_B</c>, <c>early_stopping</c> and <c>best.*</c> (selected per direction:
/// G_A's; G_B's in <c>early_stopping_b2a</c> and <c>best_b2a.*</c>).</para>
/// </summary>
public sealed class CycleGanTrainingLoop(TrainingRun run, CycleGanOptions options, UnpairedBatches batches, CycleGanValidation validation, string fingerprint)
{
    private const string Best = "best.", BestB2A = "best_b2a.", StateB2A = "early_stopping_b2a";

    public CycleGanTrainingResult Run(CycleGanNetworks networks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var (gA, gB, dA, dB) = (networks.GeneratorA2B, networks.GeneratorB2A, networks.DiscriminatorB, networks.DiscriminatorA);
        var groups = new (string Name, List<(string Name, TorchSharp.Modules.Parameter Parameter)> Parameters)[]
        {
            ("adam_G.", [.. gA.named_parameters().Select(p => ("netG_A." + p.name, p.parameter)), .. gB.named_parameters().Select(p => ("netG_B." + p.name, p.parameter))]),
            ("adam_D_A.", [.. dA.named_parameters()]),
            ("adam_D_B.", [.. dB.named_parameters()]),
        };
        var optimizers = groups.Select(g => new KeptAliveAdam(g.Parameters.Select(p => p.Parameter), options.LearningRate, beta1: 0.5, beta2: 0.999, weightDecay: 0)).ToArray();
        try
        {
            using var step = new CycleGanStep(networks, options, optimizers[0], optimizers[1], optimizers[2]);
            using var poolA = new ImagePool(options.PoolSize);
            using var poolB = new ImagePool(options.PoolSize);
            var steps = new Steps(options, batches, validation, networks, step, poolA, poolB);
            var content = new CheckpointContent().Module("net.", networks)
                .Tensors(() => poolA.Checkpoint("pool_A"), saved => poolA.Restore(saved, "pool_A"))
                .Tensors(() => poolB.Checkpoint("pool_B"), saved => poolB.Restore(saved, "pool_B"))
                .Tensors(() => steps.Best.Checkpoint(Best), saved => steps.Best.Restore(saved, Best));
            if (steps.BestB2A is { } bestB2A)
            {
                content.Tensors(() => bestB2A.Checkpoint(BestB2A, StateB2A), saved => bestB2A.Restore(saved, BestB2A, StateB2A));
            }
            for (var i = 0; i < groups.Length; i++)
            {
                content.Adam(groups[i].Name, optimizers[i], [.. groups[i].Parameters.Select(p => p.Name)]);
            }
            new TrainingLoop(run, fingerprint, content, epochs: 1, options.TotalSteps, shuffleSeed: 0).Run(steps, cancellationToken);
            if (steps.BestB2A is { } kept)
            {
                steps.Best.RestoreBest(gA);
                kept.RestoreBest(gB);
                return new CycleGanTrainingResult(validation.Evaluate(networks), steps.Best.BestEpoch, kept.BestEpoch);
            }
            steps.Best.RestoreBest(networks);
            return new CycleGanTrainingResult(validation.Evaluate(networks), steps.Best.BestEpoch);
        }
        finally
        {
            foreach (var optimizer in optimizers)
            {
                optimizer.Dispose();
            }
        }
    }

    private sealed class Steps(CycleGanOptions options, UnpairedBatches batches, CycleGanValidation validation, CycleGanNetworks networks,
        CycleGanStep step, ImagePool poolA, ImagePool poolB) : ITrainingSteps
    {
        /// <summary>
        /// Selection on <see cref="CycleGanValidation.Score"/>: the validation cycle L1 (eq. 2), comparable across steps unlike
        /// adversarial losses whose discriminator moves, only from the decay phase on since an early near-identity generator
        /// also has a low cycle loss; or the linked classifier's flip rate, at every validation.
        /// </summary>
        public EarlyStopping Best { get; } = new(patience: 0);

        /// <summary>
        /// With <see cref="CycleGanOptions.SelectsPerDirection"/>, G_B kept on the b2a flip rate while <see cref="Best"/> keeps G_A
        /// on the a2b one: each generator is served alone, and the two directions trade places from one validation to the next.
        /// </summary>
        public EarlyStopping? BestB2A { get; } = options.SelectsPerDirection ? new(patience: 0) : null;

        public IReadOnlyDictionary<string, double> Metrics { get; private set; } = new Dictionary<string, double>();

        public IReadOnlyDictionary<string, double> Step(long index, int epoch, int position)
        {
            var rate = options.LearningRate * LinearDecay.Factor(index, options.Iterations, options.DecayIterations);
            foreach (var optimizer in new[] { step.Generators, step.DiscriminatorA, step.DiscriminatorB })
            {
                optimizer.LearningRate = rate;
            }
            using var scope = TorchSharp.torch.NewDisposeScope();
            var (realA, realB) = batches.Load(index);
            var losses = step.Run(realA, realB, poolA, poolB,
                UnpairedBatches.For(options.Seed, index, UnpairedBatches.PoolAStream), UnpairedBatches.For(options.Seed, index, UnpairedBatches.PoolBStream));
            losses["learningRate"] = rate;
            return losses;
        }

        public void AfterStep(TrainingLoop loop, int epoch, bool epochDone)
        {
            if (loop.Step % options.ValidateEvery != 0 && !epochDone)
            {
                return;
            }
            var metrics = validation.Evaluate(networks);
            if (BestB2A is not null)
            {
                Best.Observe(checked((int)loop.Step), CycleGanValidation.Score(metrics, validation.A2B), networks.GeneratorA2B);
                BestB2A.Observe(checked((int)loop.Step), CycleGanValidation.Score(metrics, validation.B2A), networks.GeneratorB2A);
            }
            else if (validation.SelectsOnFlipRate || loop.Step > options.Iterations || epochDone)
            {
                Best.Observe(checked((int)loop.Step), validation.Score(metrics), networks);
            }
            Metrics = metrics;
            loop.Report("validating", epoch, new Dictionary<string, double>(), metrics);
        }
    }
}
