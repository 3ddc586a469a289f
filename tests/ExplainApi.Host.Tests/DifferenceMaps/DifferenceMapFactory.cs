using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.DifferenceMaps;

/// <summary>The application with <see cref="LinkingTrainer"/> beside the real trainers and the tiny difference-map model registered as dm-tiny (classifier dm-judge).</summary>
public sealed class DifferenceMapFactory : ExplainApiFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["ExplainApi:Jobs:MaxConcurrentJobs"] = "1",
        ["ExplainApi:Jobs:PollIntervalMilliseconds"] = "100",
        ["ExplainApi:Jobs:ProgressIntervalMilliseconds"] = "50",
    };

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<ITrainer, LinkingTrainer>();

    private Task? _registered;

    /// <summary>Registers dm-judge and dm-tiny once per factory.</summary>
    public Task RegisterAsync() => _registered ??= TinyDifferenceMapModels.RegisterAsync(
        Services.GetRequiredService<IModelRegistry>(), DataDirectory, "dm-tiny", "dm-judge");
}

/// <summary>
/// A trainer that only links: option <c>classifier</c> names a registered model, checked as a difference-map trainer
/// checks its classifier (<see cref="LinkedModels.ClassifierProblem(IModelRegistry, string?, int?, ModelInputSpec, IReadOnlyList{string}, OutputActivation)"/>).
/// Option <c>fromClass</c> must be one of the dataset's classes (<see cref="ITrainer.ValidateDatasetOptions"/>).
/// It never runs in these tests: a bad link must stop the request at POST time.
/// </summary>
internal sealed class LinkingTrainer : ITrainer
{
    public string Kind => "linking";

    public string Description => "Test double: links a classifier";

    public TrainerOptions ValidateOptions(JsonObject? options)
    {
        var values = new JsonObject { ["classifier"] = options?["classifier"]?.DeepClone(), ["fromClass"] = options?["fromClass"]?.DeepClone() };
        var errors = (options ?? []).Where(kv => kv.Key is not ("classifier" or "fromClass")).ToDictionary(kv => kv.Key, _ => "unknown option");
        return new TrainerOptions(values, errors);
    }

    public string? ValidateDataset(IDataset dataset) => null;

    public string? ValidateDatasetOptions(JsonObject options, IDataset dataset) =>
        options["fromClass"]?.GetValue<string>() is { } from && !dataset.ClassNames.Contains(from) ? $"The dataset has no class '{from}'." : null;

    public string? ValidateLinks(JsonObject options, IDataset dataset, IModelRegistry models) =>
        LinkedModels.ClassifierProblem(models, options["classifier"]?.GetValue<string>(), null,
            new ModelInputSpec(dataset.Channels, dataset.Height, dataset.Width, dataset.Normalization, false), dataset.ClassNames);

    public Task<TrainedModel> TrainAsync(TrainingRun run, CancellationToken cancellationToken) => throw new InvalidOperationException("Never run.");
}
