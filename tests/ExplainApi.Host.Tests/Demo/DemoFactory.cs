using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Torch.Training.Classifier;
using ExplainApi.Torch.Training.VaGan;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Demo;

/// <summary>
/// The application with the demo step on, optionally on another factory's data folder (a restart), and the real
/// classifier and VA-GAN trainers swapped for <see cref="BlockingTrainer"/>s: same kinds and option validation, but they
/// only wait for cancellation, so the jobs stay running and no CPU goes to training.
/// </summary>
public sealed class DemoFactory(string? dataDirectory = null, string? model = null) : ExplainApiFactory
{
    public BlockingTrainer Trainer { get; } = new(ClassifierTrainer.KindName, ClassifierOptions.Validate);

    public BlockingTrainer VaGan { get; } = new(VaGanTrainer.KindName, VaGanOptions.Validate);

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
        foreach (var (real, standIn) in new[] { (typeof(ClassifierTrainer), Trainer), (typeof(VaGanTrainer), VaGan) })
        {
            services.Remove(services.Single(d => d.ServiceType == typeof(ITrainer) && d.ImplementationType == real));
            services.AddSingleton<ITrainer>(standIn);
        }
    }
}

/// <summary>
/// A kind with its real option validation (datasets and links accepted as they are); training waits until cancelled, and
/// counts its starts and keeps the options it was started with.
/// </summary>
public sealed class BlockingTrainer(string kind, Func<JsonObject?, TrainerOptions> validate) : ITrainer
{
    private int _starts;

    public int Starts => Volatile.Read(ref _starts);

    public JsonObject? LastOptions { get; private set; }

    public string Kind => kind;

    public string Description => "Test double of " + kind;

    public TrainerOptions ValidateOptions(JsonObject? options) => validate(options);

    public string? ValidateDataset(IDataset dataset) => null;

    public async Task<TrainedModel> TrainAsync(TrainingRun run, CancellationToken cancellationToken)
    {
        LastOptions = run.Options;
        Interlocked.Increment(ref _starts);
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}
