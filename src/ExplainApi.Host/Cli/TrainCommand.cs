using System.Globalization;
using System.Text.Json.Nodes;
using ExplainApi.Host.Jobs;
using ExplainApi.Host.Storage;

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
    public static async Task<int> RunAsync(string[] args, Action<IHostApplicationBuilder> addServices, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(addServices);
        ArgumentNullException.ThrowIfNull(output);
        if (!TryParse(args, out var request, out var rest, out var usage))
        {
            await output.WriteLineAsync(usage);
            return 2;
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(rest);

        // The progress bar owns the terminal; only warnings and errors interrupt it.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        addServices(builder);
        using var host = builder.Build();
        var services = host.Services;
        await services.GetRequiredService<StoreInitializer>().StartAsync(CancellationToken.None);

        var validated = services.GetRequiredService<JobRequestValidator>().Validate(request);
        foreach (var (field, messages) in validated.Errors)
        {
            await output.WriteLineAsync($"{field}: {string.Join(" ", messages)}");
        }

        if (validated.Job is null)
        {
            await output.WriteLineAsync(validated.DatasetProblem ?? "The job request is invalid.");
            return 2;
        }

        return await ForegroundJob.RunAsync(services, validated, output);
    }

    private static bool TryParse(string[] args, out JobRequest request, out string[] rest, out string usage)
    {
        usage = "usage: ExplainApi.Host train --kind KIND --dataset DATASET --model NAME [--options JSON] [--ExplainApi:DataDirectory=DIR]";
        var values = new Dictionary<string, string>();
        var others = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--kind" or "--dataset" or "--model" or "--options" && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                others.Add(args[i]);
            }
        }

        rest = [.. others];
        JsonObject? options = null;
        try
        {
            options = values.TryGetValue("options", out var json) ? JsonNode.Parse(json)?.AsObject() : null;
        }
        catch (System.Text.Json.JsonException exception)
        {
            usage = "--options is not a JSON object: " + exception.Message;
            request = new JobRequest(null, null, null, null);
            return false;
        }

        request = new JobRequest(values.GetValueOrDefault("kind"), values.GetValueOrDefault("dataset"), values.GetValueOrDefault("model"), options);
        return values.ContainsKey("kind") && values.ContainsKey("dataset") && values.ContainsKey("model");
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
