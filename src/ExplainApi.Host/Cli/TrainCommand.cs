using System.Globalization;
using ExplainApi.Host.Jobs;

namespace ExplainApi.Host.Cli;

/// <summary>
/// `ExplainApi.Host train --kind K --dataset D --model M [--options JSON]`: runs one job in the
/// foreground with a progress bar, for people training on a workstation. It goes through the same
/// validation, store, trainer and registry as the service, so the job and model show up in the API.
/// Ctrl+C stops at the next step after a checkpoint; the job stays queued and resumes when run again
/// by the service. Do not run it while a service uses the same data folder.
/// </summary>
public static class TrainCommand
{
    public const string Usage = "usage: ExplainApi.Host train --kind KIND --dataset DATASET --model NAME [--options JSON] [--ExplainApi:DataDirectory=DIR]";

    public static async Task<int> RunAsync(string[] args, Action<IHostApplicationBuilder> addServices, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(addServices);
        ArgumentNullException.ThrowIfNull(output);
        if (!CommandArguments.TryParse(args, ["kind", "dataset", "model", "options"], ["kind", "dataset", "model"], out var values, out var options, out var rest, out var problem))
        {
            await output.WriteLineAsync(problem ?? Usage);
            return 2;
        }

        return await ForegroundJob.RunAsync(new JobRequest(values["kind"], values["dataset"], values["model"], options), rest, addServices, output);
    }
}

/// <summary>One line: a bar, epoch and step, the latest losses and metrics, the ETA.</summary>
public static class ProgressBar
{
    public static string Render(JobProgress? progress)
    {
        if (progress is null)
        {
            return "starting…";
        }

        var fraction = progress.TotalSteps > 0 ? Math.Clamp((double)progress.Step / progress.TotalSteps, 0, 1) : 0;
        var filled = (int)Math.Round(fraction * 30);
        var values = progress.Losses.Concat(progress.Metrics).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.####}"));
        var eta = progress.EtaSeconds is { } s ? $" ETA {TimeSpan.FromSeconds(Math.Round(s)):g}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', 30 - filled)}] {fraction:P0} {progress.Phase} epoch {progress.Epoch}/{progress.TotalEpochs} step {progress.Step}/{progress.TotalSteps} {string.Join("  ", values)}{eta}");
    }
}
