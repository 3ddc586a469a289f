using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Torch.Training.Classifier;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Demo;

/// <summary>
/// The application with the demo step on, optionally on another factory's data folder (a restart), and the real
/// classifier trainer swapped for <see cref="BlockingClassifierTrainer"/>: same kind and option validation, but it only
/// waits for cancellation, so the job stays running and no CPU goes to training.
/// </summary>
public sealed class DemoFactory(string? dataDirectory = null, string? model = null) : ExplainApiFactory
{
    public BlockingClassifierTrainer Trainer { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["ExplainApi:Demo:Enabled"] = "true",
                ["ExplainApi:Jobs:PollIntervalMilliseconds"] = "100",
            };
            if (model is not null)
            {
                settings["ExplainApi:Demo:Model"] = model;
            }

            if (dataDirectory is not null)
            {
                settings["ExplainApi:DataDirectory"] = dataDirectory;
            }

            return settings;
        }
    }

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        var real = services.Single(d => d.ServiceType == typeof(ITrainer) && d.ImplementationType == typeof(ClassifierTrainer));
        services.Remove(real);
        services.AddSingleton<ITrainer>(Trainer);
    }
}

/// <summary>Kind "classifier" with the real option validation; training waits until cancelled (it counts its starts).</summary>
public sealed class BlockingClassifierTrainer : ITrainer
{
    private int _starts;

    public int Starts => Volatile.Read(ref _starts);

    public string Kind => ClassifierTrainer.KindName;

    public string Description => "Test double of the classifier";

    public TrainerOptions ValidateOptions(JsonObject? options) => ClassifierOptions.Validate(options);

    public string? ValidateDataset(IDataset dataset) => null;

    public async Task<TrainedModel> TrainAsync(TrainingRun run, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _starts);
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}
