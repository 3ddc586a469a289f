using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Training;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Jobs;

/// <summary>Every job kind by name: each <see cref="ITrainer"/> through <see cref="TrainerJobHandler"/>, plus the other <see cref="IJobHandler"/>s.</summary>
public sealed class JobHandlers
{
    private readonly Dictionary<string, IJobHandler> _byKind;

    public JobHandlers(
        IEnumerable<IJobHandler> handlers, IEnumerable<ITrainer> trainers, IDatasetResolver datasets, IModelRegistry registry, IOptions<JobsOptions> options,
        IExplainableModelProvider explainableModels) =>
        _byKind = trainers.Select(t => (IJobHandler)new TrainerJobHandler(t, datasets, registry, options.Value, explainableModels))
            .Concat(handlers).ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>The kinds in ordinal order.</summary>
    public IReadOnlyList<string> Kinds => [.. _byKind.Keys.Order(StringComparer.Ordinal)];

    public IJobHandler? Find(string kind) => _byKind.GetValueOrDefault(kind);

    /// <summary>The handler of a stored job; a kind no longer registered (a build without its trainer) is an error of that job only.</summary>
    public IJobHandler Of(JobRecord job) => Find(job.Kind) ?? throw new InvalidOperationException($"No handler for kind '{job.Kind}'.");
}
