using System.Globalization;
using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;

namespace ExplainApi.Host.Tests.Jobs;

/// <summary>
/// A trainer double for the job state machine: kind "controlled", reports one progress step per
/// release of <see cref="Steps"/>, honours cancellation, and throws when the options say "fail": true.
/// Like the real trainers it checkpoints every step in its work folder and, started again on the same
/// data, resumes after the last one, flagging its first report ResumedFromCheckpoint.
/// The real trainers (and a real model) are exercised in JobLifecycleTests and the crash test.
/// </summary>
public sealed class ControlledTrainer : ITrainer
{
    public SemaphoreSlim Steps { get; } = new(0);

    public string Kind => "controlled";

    public string Description => "Test double";

    public TrainerOptions ValidateOptions(JsonObject? options)
    {
        var values = new JsonObject { ["steps"] = 3, ["fail"] = false };
        var errors = new Dictionary<string, string>();
        foreach (var (key, value) in options ?? [])
        {
            if (key == "steps" && value?.GetValueKind() == System.Text.Json.JsonValueKind.Number && value.GetValue<int>() is > 0 and < 100)
            {
                values[key] = value.GetValue<int>();
            }
            else if (key == "fail" && value?.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
            {
                values[key] = value.GetValue<bool>();
            }
            else
            {
                errors[key] = key is "steps" or "fail" ? "out of range" : "unknown option";
            }
        }

        return new TrainerOptions(values, errors);
    }

    public string? ValidateDataset(IDataset dataset) => null;

    public async Task<TrainedModel> TrainAsync(TrainingRun run, CancellationToken cancellationToken)
    {
        var steps = run.Options["steps"]!.GetValue<int>();
        var checkpoint = Path.Combine(run.WorkDirectory, "controlled.checkpoint");
        var first = File.Exists(checkpoint) ? int.Parse(await File.ReadAllTextAsync(checkpoint, cancellationToken), CultureInfo.InvariantCulture) + 1 : 1;
        for (var step = first; step <= steps; step++)
        {
            await Steps.WaitAsync(cancellationToken);
            run.Progress.Report(new TrainingProgress("training", 1, 1, step, steps,
                new Dictionary<string, double> { ["train"] = 1.0 / step }, new Dictionary<string, double>(), ResumedFromCheckpoint: step == first && first > 1));
            await File.WriteAllTextAsync(checkpoint, step.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
        }

        throw run.Options["fail"]!.GetValue<bool>()
            ? new InvalidDataException("the controlled trainer was told to fail")
            : new InvalidOperationException("the controlled trainer registers no model; use fail=true or cancel it");
    }
}
