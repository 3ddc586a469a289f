using ExplainApi.Core.Datasets;
using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Training;
using ExplainApi.Host.DifferenceMaps;
using ExplainApi.Onnx.Explaining;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// The evaluation of difference-map models (issue 9 §6): for each direction whose source class has images with a
/// ground-truth region in the split, <see cref="DifferenceMapEvaluator"/> on at most <see cref="EvaluationSettings.Images"/>
/// of them, and every planned saliency method of the linked classifier on the same images (<see cref="SaliencyEvaluator"/>),
/// written as <see cref="EvaluationFiles"/>. Generators and classifier are opened as they are served.
/// </summary>
public sealed class DifferenceMapEvaluationJob(
    IModelRegistry registry, IDatasetResolver datasets, DifferenceMapModelSource generators, ExplainableModelSource classifiers) : IModelEvaluation
{
    public ModelTask ForTask => ModelTask.DifferenceMap;

    public bool ScoresSaliencyMethods => true;

    public string? DatasetProblem(ModelManifest manifest, IDataset dataset, string reference) => EvaluationRequestValidator.MaskProblem(manifest, dataset, reference);

    public async Task<string> EvaluateAsync(ModelManifest manifest, string datasetReference, EvaluationSettings settings, string outputDirectory,
        IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(settings);
        var section = manifest.DifferenceMap ?? throw new InvalidOperationException($"Model '{manifest.Name}' has no differenceMap section.");
        var link = section.Classifier ?? throw new InvalidOperationException($"Model '{manifest.Name}' names no classifier.");
        var classifierManifest = registry.Find(link.Name, link.Version)
            ?? throw new InvalidOperationException($"Classifier '{link.Name}' version {link.Version} is no longer registered.");
        var dataset = datasets.Resolve(datasetReference);
        var subset = settings.Subset(dataset);
        var translators = await generators.OpenAsync(manifest);
        var classifier = await classifiers.OpenAsync(classifierManifest);
        EvaluationFiles.Clear(outputDirectory);
        var table = await Task.Factory.StartNew(
            () => classifier.Explain(model => Evaluate(manifest, section, translators, model, dataset, datasetReference, subset, settings, progress, cancellationToken)),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await EvaluationFiles.WriteAsync(outputDirectory, DifferenceMapEvaluationJson.Write(table), DifferenceMapEvaluationMarkdown.Write(table));
        return $"{table.Directions.Count} directions, {table.Saliency?.Methods.Count ?? 0} saliency methods beside them";
    }

    private static DifferenceMapEvaluationTable Evaluate(
        ModelManifest manifest, DifferenceMapSection section, IReadOnlyDictionary<string, IImageTranslator> translators, OnnxExplainableModel classifier,
        IDataset dataset, string reference, IReadOnlyList<int> subset, EvaluationSettings settings, IProgress<TrainingProgress> progress,
        CancellationToken cancellationToken)
    {
        Func<int, string?>? subtypeOf = dataset is SquaresDataset squares ? i => squares.SubtypeOf(i).ToString() : null;
        var rows = new List<DifferenceMapScores>();
        var scored = new SortedSet<int>();
        foreach (var direction in section.Directions)
        {
            var images = DifferenceSummarizer.OfClass(dataset, subset, direction.FromClass)
                .Where(i => GroundTruthRegion.Any(dataset.Get(i).Mask)).Take(settings.Images).ToArray();
            if (images.Length == 0)
            {
                continue; // e.g. CycleGAN's healthy → diseased direction: its source images have no ground-truth change
            }

            rows.Add(DifferenceMapEvaluator.Evaluate(translators[direction.Name], classifier, dataset, images, subtypeOf, classifier.MaxBatch,
                new EvaluationProgressAdapter(progress, $"difference maps {direction.Name}"), cancellationToken));
            scored.UnionWith(images);
        }

        if (rows.Count == 0)
        {
            throw new InvalidOperationException($"No direction of model '{manifest.Name}' starts from a class with ground-truth regions in the {settings.Split} split.");
        }

        var link = section.Classifier!;
        var saliency = new SaliencyEvaluator().Evaluate(classifier, dataset, [.. scored], settings.Plans(),
            new EvaluationSubject(link.Name, link.Version, reference, settings.SubsetDescription),
            new SaliencyOptions { Seed = (ulong)settings.Seed }, new EvaluationProgressAdapter(progress, "saliency"), cancellationToken);
        return new DifferenceMapEvaluationTable(new EvaluationSubject(manifest.Name, manifest.Version, reference, settings.SubsetDescription),
            section.Method, link, rows, saliency);
    }
}
