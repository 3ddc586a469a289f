using ExplainApi.Core.Datasets;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training;

/// <summary>
/// Precise BatchNorm statistics (Wu &amp; Johnson, "Rethinking 'Batch' in BatchNorm", 2021, §3): the running averages
/// (momentum 0.1) trail weights that keep moving — a GAN generator's most of all — so before an eval-mode use the
/// statistics are recomputed as the plain average over fixed batches with the current weights (momentum 1/(k+1) at
/// batch k). Only the statistics change; training-mode outputs do not depend on them.
/// </summary>
public static class PreciseBatchNorm
{
    public const int Batch = 32;

    /// <param name="indices">The images to average over (training images; a fixed set, so a resumed run computes the same).</param>
    public static void Recalibrate(nn.Module<Tensor, Tensor> module, IDataset dataset, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(indices);
        var norms = module.modules().OfType<BatchNorm>().ToList();
        if (norms.Count == 0 || indices.Count == 0)
        {
            return;
        }
        var momenta = norms.Select(n => n.momentum).ToList();
        var wasTraining = module.training;
        module.train();
        using var noGrad = no_grad();
        try
        {
            var all = indices.ToArray();
            for (var (start, k) = (0, 0); start < all.Length; start += Batch, k++)
            {
                using var scope = NewDisposeScope();
                norms.ForEach(n => n.momentum = 1.0 / (k + 1));
                module.call(ClassificationBatches.Load(dataset, all.AsSpan(start, Math.Min(Batch, all.Length - start))).Inputs);
            }
        }
        finally
        {
            for (var i = 0; i < norms.Count; i++)
            {
                norms[i].momentum = momenta[i];
            }
            module.train(wasTraining);
        }
    }
}
