using ExplainApi.Core.Training;
using ExplainApi.Torch.Training.Classifier;
using TorchSharp.Modules;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>What a CycleGAN run ends with: validation metrics of the kept generators and the step they come from.</summary>
public sealed record CycleGanTrainingResult(Dictionary<string, double> Validation, long BestStep);

/// <summary>
/// The step loop of CycleGAN: <see cref="CycleGanStep"/> on <see cref="UnpairedBatches"/> with the <see cref="LinearDecay"/>
/// learning rate, validation every <see cref="CycleGanOptions.ValidateEvery"/> steps and after the last, checkpoints every
/// <see cref="TrainingRun.CheckpointEverySteps"/> steps and on cancellation, resume.
/// <para>The checkpoint holds <c>net.*</c> (the four networks), <c>adam_G/adam_D_A/adam_D_B.exp_avg(_sq).*</c> (their
/// Adam steps are the run's step), <c>pool_A</c>/<c>pool_B</c>, <c>early_stopping</c> and <c>best.*</c>.</para>
/// </summary>
public sealed class CycleGanTrainingLoop(TrainingRun run, CycleGanOptions options, UnpairedBatches batches, CycleGanValidation validation, string fingerprint)
{
    private const string Net = "net.", Best = "best.", PoolA = "pool_A", PoolB = "pool_B";

    public CycleGanTrainingResult Run(CycleGanNetworks networks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var (gA, gB, dA, dB) = (networks.GeneratorA2B, networks.GeneratorB2A, networks.DiscriminatorB, networks.DiscriminatorA);
        var groups = new (string Name, List<(string Name, Parameter Parameter)> Parameters)[]
        {
            ("adam_G", [.. gA.named_parameters().Select(p => ("netG_A." + p.name, p.parameter)), .. gB.named_parameters().Select(p => ("netG_B." + p.name, p.parameter))]),
            ("adam_D_A", [.. dA.named_parameters()]),
            ("adam_D_B", [.. dB.named_parameters()]),
        };
        var optimizers = groups.Select(g => new KeptAliveAdam(g.Parameters.Select(p => p.Parameter), options.LearningRate, beta1: 0.5, beta2: 0.999, weightDecay: 0)).ToArray();
        using var step = new CycleGanStep(networks, options, optimizers[0], optimizers[1], optimizers[2]);
        using var poolA = new ImagePool(options.PoolSize);
        using var poolB = new ImagePool(options.PoolSize);
        // Selection on the validation cycle L1 (eq. 2), comparable across steps unlike adversarial losses whose discriminator
        // moves; only from the decay phase on, since an early near-identity generator also has a low cycle loss.
        var best = new EarlyStopping(patience: 0);
        try
        {
            var checkpoint = TrainingCheckpoint.Load(run.WorkDirectory);
            var resumed = checkpoint is not null;
            if (checkpoint is not null)
            {
                checkpoint.EnsureContinues(fingerprint, 1, options.TotalSteps);
                var saved = checkpoint.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
                NamedTensors.CopyInto(NamedTensors.StateOf(networks), saved, Net);
                for (var i = 0; i < groups.Length; i++)
                {
                    NamedTensors.CopyInto(groups[i].Parameters.Select((p, k) => (p.Name, optimizers[i].ExpAvg[k])), saved, $"{groups[i].Name}.exp_avg.");
                    NamedTensors.CopyInto(groups[i].Parameters.Select((p, k) => (p.Name, optimizers[i].ExpAvgSq[k])), saved, $"{groups[i].Name}.exp_avg_sq.");
                    optimizers[i].Steps = checkpoint.Step;
                }
                poolA.Restore(saved, PoolA);
                poolB.Restore(saved, PoolB);
                best.Restore(saved, Best);
            }

            void Save(long done) => new TrainingCheckpoint(fingerprint, done, (int)(done / options.TotalSteps), 0, 0, double.NaN, double.NaN,
                [.. NamedTensors.Capture(NamedTensors.StateOf(networks), Net),
                 .. groups.SelectMany((g, i) => NamedTensors.Capture(g.Parameters.Select((p, k) => (p.Name, optimizers[i].ExpAvg[k])), $"{g.Name}.exp_avg.")
                     .Concat(NamedTensors.Capture(g.Parameters.Select((p, k) => (p.Name, optimizers[i].ExpAvgSq[k])), $"{g.Name}.exp_avg_sq."))),
                 .. poolA.Checkpoint(PoolA), .. poolB.Checkpoint(PoolB), .. best.Checkpoint(Best)]).Save(run.WorkDirectory);

            var metrics = new Dictionary<string, double>();
            for (var done = checkpoint?.Step ?? 0; done < options.TotalSteps; )
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    Save(done);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                foreach (var optimizer in optimizers)
                {
                    optimizer.LearningRate = options.LearningRate * LinearDecay.Factor(done, options.Iterations, options.DecayIterations);
                }
                Dictionary<string, double> losses;
                using (TorchSharp.torch.NewDisposeScope())
                {
                    var (realA, realB) = batches.Load(done);
                    losses = step.Run(realA, realB, poolA, poolB,
                        UnpairedBatches.For(options.Seed, done, UnpairedBatches.PoolAStream), UnpairedBatches.For(options.Seed, done, UnpairedBatches.PoolBStream));
                }
                done++;
                run.Progress.Report(new TrainingProgress("training", 1, 1, done, options.TotalSteps, losses, metrics, resumed));
                resumed = false;
                if (done % options.ValidateEvery == 0 || done == options.TotalSteps)
                {
                    metrics = validation.Evaluate(networks);
                    if (done > options.Iterations || done == options.TotalSteps)
                    {
                        best.Observe(checked((int)done), metrics[CycleGanValidation.Score], networks);
                    }
                    run.Progress.Report(new TrainingProgress("validating", 1, 1, done, options.TotalSteps, losses, metrics));
                }
                if (run.CheckpointEverySteps > 0 && done % run.CheckpointEverySteps == 0)
                {
                    Save(done);
                }
            }
            best.RestoreBest(networks);
            return new CycleGanTrainingResult(validation.Evaluate(networks), best.BestEpoch);
        }
        finally
        {
            foreach (var optimizer in optimizers)
            {
                optimizer.Dispose();
            }
        }
    }
}
