using System.Globalization;
using ExplainApi.Core.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// Validation metrics of a classifier: mean loss, accuracy, balanced accuracy (the mean recall of the classes present) and
/// one-vs-rest <see cref="Auroc"/> per class of the probabilities (NaN for a class without positives or negatives).
/// A multi-label classifier (<see cref="FromMultiLabel"/>) has no balanced accuracy (NaN); its accuracy is the exact match
/// (every class decided right at p ≥ 0.5) and <see cref="ClassAccuracy"/> holds each class's accuracy at 0.5.
/// </summary>
public sealed record ClassifierMetrics(double Loss, double Accuracy, double BalancedAccuracy, IReadOnlyList<double> Auroc, IReadOnlyList<double>? ClassAccuracy = null)
{
    /// <summary>The decision threshold of a multi-label classifier's sigmoid outputs.</summary>
    public const float MultiLabelThreshold = 0.5f;

    private const int EvaluationBatch = 256;

    /// <summary>The mean of the defined per-class AUROCs, or NaN.</summary>
    public double MacroAuroc => Auroc.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();

    /// <summary>
    /// Evaluates <paramref name="model"/> in eval mode (then puts it back in training mode), one dispose scope per batch, with the
    /// dataset's <see cref="ClassifierObjective"/> (loss, probabilities and metrics of one or of several labels per image).
    /// </summary>
    public static ClassifierMetrics Evaluate(nn.Module<Tensor, Tensor> model, IDataset dataset, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        var objective = ClassifierObjective.For(dataset);
        var classes = dataset.ClassNames.Count;
        var all = indices.ToArray();
        var probabilities = new float[all.Length * classes];
        double lossSum = 0;
        model.eval();
        try
        {
            for (var start = 0; start < all.Length; start += EvaluationBatch)
            {
                using var noGrad = no_grad();
                using var scope = NewDisposeScope();
                var count = Math.Min(EvaluationBatch, all.Length - start);
                var (inputs, targets) = objective.Load(dataset, all.AsSpan(start, count));
                var logits = model.call(inputs);
                lossSum += objective.Loss(logits, targets, nn.Reduction.Sum).item<float>();
                objective.Probabilities(logits).data<float>().CopyTo(probabilities, start * classes);
            }
        }
        finally
        {
            model.train();
        }
        return objective.Metrics(probabilities, dataset, all, all.Length == 0 ? double.NaN : lossSum / all.Length);
    }

    /// <param name="probabilities">[n, classes] row-major class scores.</param>
    public static ClassifierMetrics From(float[] probabilities, int[] labels, int classes, double loss)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        var n = labels.Length;
        var predicted = Enumerable.Range(0, n).Select(i => ArgMax(probabilities.AsSpan(i * classes, classes))).ToArray();
        var accuracy = n == 0 ? double.NaN : (double)Enumerable.Range(0, n).Count(i => predicted[i] == labels[i]) / n;
        var recalls = Enumerable.Range(0, classes)
            .Where(k => labels.Contains(k))
            .Select(k => (double)Enumerable.Range(0, n).Count(i => labels[i] == k && predicted[i] == k) / labels.Count(l => l == k))
            .ToList();
        var auroc = Enumerable.Range(0, classes)
            .Select(k => Classifier.Auroc.Compute(
                Enumerable.Range(0, n).Select(i => (double)probabilities[i * classes + k]).ToArray(),
                labels.Select(l => l == k).ToArray()))
            .ToArray();
        return new ClassifierMetrics(loss, accuracy, recalls.Count == 0 ? double.NaN : recalls.Average(), auroc);
    }

    /// <param name="probabilities">[n, classes] row-major sigmoid outputs.</param>
    /// <param name="labels">The multi-hot labels of each of the n images.</param>
    public static ClassifierMetrics FromMultiLabel(float[] probabilities, IReadOnlyList<float[]> labels, int classes, double loss)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        var n = labels.Count;
        bool Truth(int i, int k) => labels[i][k] >= MultiLabelThreshold;
        bool Right(int i, int k) => probabilities[i * classes + k] >= MultiLabelThreshold == Truth(i, k);
        var exact = n == 0 ? double.NaN : (double)Enumerable.Range(0, n).Count(i => Enumerable.Range(0, classes).All(k => Right(i, k))) / n;
        var perClass = Enumerable.Range(0, classes).Select(k => n == 0 ? double.NaN : (double)Enumerable.Range(0, n).Count(i => Right(i, k)) / n).ToArray();
        var auroc = Enumerable.Range(0, classes)
            .Select(k => Classifier.Auroc.Compute(
                Enumerable.Range(0, n).Select(i => (double)probabilities[i * classes + k]).ToArray(),
                Enumerable.Range(0, n).Select(i => Truth(i, k)).ToArray()))
            .ToArray();
        return new ClassifierMetrics(loss, exact, double.NaN, auroc, perClass);
    }

    /// <summary>
    /// Progress/manifest metrics: loss, accuracy, balancedAccuracy, auroc (macro), auroc.{class} and, multi-label,
    /// accuracy.{class}; undefined ones are left out.
    /// </summary>
    public Dictionary<string, double> ToDictionary(IReadOnlyList<string> classNames, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [Key(prefix, "loss")] = Loss,
            [Key(prefix, "accuracy")] = Accuracy,
            [Key(prefix, "balancedAccuracy")] = BalancedAccuracy,
            [Key(prefix, "auroc")] = MacroAuroc,
        };
        for (var k = 0; k < Auroc.Count; k++)
        {
            metrics[Key(prefix, string.Create(CultureInfo.InvariantCulture, $"auroc.{classNames[k]}"))] = Auroc[k];
        }
        for (var k = 0; k < (ClassAccuracy?.Count ?? 0); k++)
        {
            metrics[Key(prefix, string.Create(CultureInfo.InvariantCulture, $"accuracy.{classNames[k]}"))] = ClassAccuracy![k];
        }
        return metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(StringComparer.Ordinal);
    }

    private static string Key(string prefix, string name) => prefix.Length == 0 ? name : prefix + char.ToUpperInvariant(name[0]) + name[1..];

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best])
            {
                best = k;
            }
        }
        return best;
    }
}
