using System.Globalization;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Files;
using ExplainApi.Core.Models;
using ExplainApi.Core.Segmentation;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>The training images' pseudo-masks by dataset index, their quality against the true masks, every phase's report by phase name, and the classifier that seeded them.</summary>
/// <param name="Diagnostics">Metrics of how the phases relate (<see cref="DisputedPixels"/>), computed when the phase ran in this job.</param>
public sealed record PseudoMaskSet(
    IReadOnlyDictionary<int, byte[]> Masks, SegmentationMetrics Quality, IReadOnlyDictionary<string, PseudoMaskPhaseReport> Phases, LinkedModel Classifier,
    IReadOnlyDictionary<string, double>? Diagnostics = null);

/// <summary>One phase's masks against the true masks, and its compute time per image (null when read back from the work folder).</summary>
public sealed record PseudoMaskPhaseReport(SegmentationMetrics Quality, double? MillisecondsPerImage);

/// <summary>
/// The pseudo-masks of a weakly supervised <c>segmentation</c> job (<see cref="PseudoMasks"/>): phase "seeds" asks the
/// linked classifier (through <see cref="TrainingRun.ExplainableModels"/>) for each training image's seed from its true
/// labels; phase "crf" (masks = crf or ssdd) refines each seed with the dense CRF; phase "ssdd" (masks = ssdd) integrates
/// the two by <see cref="StaticSsdd"/>. Each phase's masks are written atomically to
/// the work folder, so a restarted job reads them instead of recomputing. With a CRF phase the report "bestOfSeedsAndCrf"
/// (<see cref="DisputedPixels.BestOf"/>) bounds what any integration of the two, SSDD's included, can reach.
/// </summary>
public static class PseudoMaskPhases
{
    private const int Chunk = 16;

    /// <summary>The report of the per-pixel best of seeds and CRF (evaluation only: it reads the true masks).</summary>
    public const string BestOfSeedsAndCrf = "bestOfSeedsAndCrf";

    /// <exception cref="InvalidOperationException">The classifier is no longer registered or the host serves no explainable models.</exception>
    /// <exception cref="TrainingCheckpointException">A phase file belongs to another configuration.</exception>
    public static async Task<PseudoMaskSet> RunAsync(TrainingRun run, SegmentationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(options);
        var dataset = run.Dataset as IMultiLabelDataset ?? throw new InvalidOperationException($"{run.Dataset.Reference} has no multi-hot labels.");
        var link = LinkedModels.ResolveClassifier(run.Models, options.Classifier!, options.ClassifierVersion);
        var classifierClasses = run.Models!.Find(link.Name, link.Version)!.ClassNames;
        var provider = run.ExplainableModels ?? throw new InvalidOperationException("This host serves no explainable models to trainers.");
        var train = StratifiedSplit.Create(dataset, options.TestFraction, options.ValidationFraction, options.Seed).TrainValidation.Train;
        var fingerprint = string.Create(CultureInfo.InvariantCulture,
            $"dataset={dataset.Reference} n={dataset.Count} classifier={link.Name}@{link.Version} alpha={options.Alpha:R} seed={options.Seed} val={options.ValidationFraction:R} test={options.TestFraction:R}");

        var timings = new Dictionary<string, double>(StringComparer.Ordinal);
        var diagnostics = new Dictionary<string, double>(StringComparer.Ordinal);
        var seeds = await PhaseAsync(run, SegmentationOptions.SeedsName, fingerprint, train, timings, () => provider.UseAsync(link.Name, link.Version, model =>
            Seeds(run, dataset, train, classifierClasses, options, model, cancellationToken), cancellationToken));
        var phases = new Dictionary<string, byte[][]>(StringComparer.Ordinal) { [SegmentationOptions.SeedsName] = seeds };
        if (options.Masks is MaskSource.Crf or MaskSource.Ssdd)
        {
            fingerprint += " crf=" + CrfFingerprint(options.CrfParameters);
            var crf = await PhaseAsync(run, SegmentationOptions.CrfName, fingerprint, train, timings,
                () => OnOwnThread(() => Crf(run, dataset, train, seeds, options, cancellationToken)));
            phases[SegmentationOptions.CrfName] = crf;
            if (options.Masks == MaskSource.Ssdd)
            {
                fingerprint += $" {(options.Ssdd ?? SsddSettings.Default).Fingerprint()} {options.Fingerprint()}";
                phases[SegmentationOptions.SsddName] = await PhaseAsync(run, StaticSsdd.Phase, fingerprint, train, timings,
                    () => OnOwnThread(() => StaticSsdd.Run(run, dataset, train, seeds, crf, options, cancellationToken, diagnostics)));
            }
        }

        var masks = phases[options.MasksName];
        var byIndex = train.Select((index, n) => (index, n)).ToDictionary(p => p.index, p => masks[p.n]);
        var reports = phases.ToDictionary(
            p => p.Key, p => new PseudoMaskPhaseReport(Quality(dataset, train, p.Value), timings.TryGetValue(p.Key, out var ms) ? ms : null), StringComparer.Ordinal);
        if (phases.TryGetValue(SegmentationOptions.CrfName, out var advice))
        {
            var best = train.Select((index, n) => DisputedPixels.BestOf(dataset.Get(index).Segmentation!, seeds[n], advice[n])).ToArray();
            reports[BestOfSeedsAndCrf] = new PseudoMaskPhaseReport(Quality(dataset, train, best), null);
        }
        return new PseudoMaskSet(byIndex, reports[options.MasksName].Quality, reports, link, diagnostics);
    }

    private static SegmentationMetrics Quality(IMultiLabelDataset dataset, int[] train, byte[][] masks) =>
        PseudoMasks.Quality(train.Select((index, n) => (dataset.Get(index).Segmentation!, masks[n])), dataset.ClassNames.Count + 1);

    /// <summary>CPU-bound phases run on a dedicated thread (they are long).</summary>
    private static Task<byte[][]> OnOwnThread(Func<byte[][]> phase) =>
        Task.Factory.StartNew(phase, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <param name="timings">Receives the phase's milliseconds per image when it is computed here.</param>
    private static async Task<byte[][]> PhaseAsync(
        TrainingRun run, string phase, string fingerprint, int[] indices, Dictionary<string, double> timings, Func<Task<byte[][]>> compute)
    {
        var path = Path.Combine(run.WorkDirectory, $"pseudo-masks.{phase}.bin");
        if (File.Exists(path))
        {
            run.Progress.Report(new TrainingProgress(phase, 0, 0, indices.Length, indices.Length, new Dictionary<string, double>(), new Dictionary<string, double>(), ResumedFromCheckpoint: true));
            return Read(path, fingerprint, indices.Length);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var masks = await compute();
        timings[phase] = clock.Elapsed.TotalMilliseconds / Math.Max(1, indices.Length);
        await AtomicFile.WriteAllBytesAsync(path, Write(fingerprint, masks));
        return masks;
    }

    private static byte[][] Seeds(TrainingRun run, IMultiLabelDataset dataset, int[] train, IReadOnlyList<string> classifierClasses, SegmentationOptions options,
        Core.Saliency.Explaining.IExplainableModel model, CancellationToken cancellationToken)
    {
        // The classifier may order the classes differently: labels go in as its indices, seeds come back as dataset labels.
        var toClassifier = dataset.ClassNames.Select(c => classifierClasses.ToList().IndexOf(c)).ToArray();
        var toDataset = new byte[256];
        for (var d = 0; d < toClassifier.Length; d++)
        {
            toDataset[toClassifier[d] + 1] = (byte)(d + 1);
        }

        var result = new List<byte[]>(train.Length);
        foreach (var chunk in train.Chunk(Chunk))
        {
            var images = chunk.Select(i => dataset.Get(i).Pixels).ToArray();
            var labels = chunk.Select(i => ImageLabels.FromMultiHot(dataset.LabelsOf(i)).Select(d => toClassifier[d]).ToArray()).ToArray();
            result.AddRange(PseudoMasks.Seeds(model, images, labels, options.Alpha, cancellationToken).Select(seed => seed.Select(k => toDataset[k]).ToArray()));
            Report(run, "seeds", result.Count, train.Length);
        }

        return [.. result];
    }

    private static byte[][] Crf(TrainingRun run, IMultiLabelDataset dataset, int[] train, byte[][] seeds, SegmentationOptions options, CancellationToken cancellationToken)
    {
        var parameters = options.CrfParameters;
        var result = new byte[train.Length][];
        for (var n = 0; n < train.Length; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var guide = PseudoMasks.Guide(dataset.Get(train[n]).Pixels, dataset.Channels, dataset.Height, dataset.Width);
            result[n] = PseudoMasks.Refine(guide, seeds[n], ImageLabels.FromMultiHot(dataset.LabelsOf(train[n])), parameters, cancellationToken);
            if ((n + 1) % Chunk == 0 || n + 1 == train.Length)
            {
                Report(run, "crf", n + 1, train.Length);
            }
        }

        return result;
    }

    private static string CrfFingerprint(DenseCrfParameters p) => string.Create(CultureInfo.InvariantCulture,
        $"{p.Iterations}/{p.SmoothnessTheta:R}/{p.SmoothnessWeight:R}/{p.AppearancePositionTheta:R}/{p.AppearanceIntensityTheta:R}/{p.AppearanceWeight:R}");

    private static void Report(TrainingRun run, string phase, int done, int total) =>
        run.Progress.Report(new TrainingProgress(phase, 0, 0, done, total, new Dictionary<string, double>(), new Dictionary<string, double>()));

    private static byte[] Write(string fingerprint, byte[][] masks)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(fingerprint);
            writer.Write(masks.Length);
            foreach (var mask in masks)
            {
                writer.Write(mask.Length);
                writer.Write(mask);
            }
        }

        return stream.ToArray();
    }

    private static byte[][] Read(string path, string fingerprint, int count)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            var saved = reader.ReadString();
            if (saved != fingerprint || reader.ReadInt32() != count)
            {
                throw new TrainingCheckpointException($"The pseudo-masks in {Path.GetFileName(path)} belong to another configuration ({saved}).");
            }

            return [.. Enumerable.Range(0, count).Select(_ => reader.ReadBytes(reader.ReadInt32()))];
        }
        catch (EndOfStreamException exception)
        {
            throw new TrainingCheckpointException($"The pseudo-masks in {Path.GetFileName(path)} are truncated.", exception);
        }
    }
}
