using System.Text.Json;
using ExplainApi.Host.Evaluation;
using ExplainApi.Host.Jobs;
using ExplainApi.Host.Storage;

namespace ExplainApi.Host.Cli;

/// <summary>
/// `ExplainApi.Host evaluate --model NAME [--options JSON]`: one evaluate job in the foreground (the body of
/// POST /v1/models/{name}/evaluate as JSON, e.g. {"images":100,"expensiveImages":25}), through the same validation,
/// store and runner as the service. Prints the Markdown table and where the job's JSON and Markdown files are.
/// </summary>
public static class EvaluateCommand
{
    public const string Usage =
        "usage: ExplainApi.Host evaluate --model NAME [--options JSON] [--ExplainApi:DataDirectory=DIR]   (JSON: version, dataset, split, splitSeed, methods, images, expensiveImages, seed)";

    public static async Task<int> RunAsync(string[] args, Action<IHostApplicationBuilder> addServices, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(addServices);
        ArgumentNullException.ThrowIfNull(output);
        string? model = null, json = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--model" or "--options" && i + 1 < args.Length)
            {
                (model, json) = args[i] == "--model" ? (args[++i], json) : (model, args[++i]);
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        EvaluationRequest? request;
        try
        {
            request = json is null ? null : JsonSerializer.Deserialize<EvaluationRequest>(json, JobStore.Json);
        }
        catch (JsonException exception)
        {
            await output.WriteLineAsync("--options is not an evaluation request: " + exception.Message);
            return 2;
        }

        if (model is null)
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder([.. rest]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        addServices(builder);
        using var host = builder.Build();
        var services = host.Services;
        await services.GetRequiredService<StoreInitializer>().StartAsync(CancellationToken.None);
        var validated = services.GetRequiredService<EvaluationRequestValidator>()
            .Validate(model, request ?? new EvaluationRequest(null, null, null, null, null, null, null, null));
        if (validated.ModelMissing)
        {
            await output.WriteLineAsync($"Model '{model}'{(request?.Version is { } v ? $" version {v}" : "")} is not registered.");
            return 2;
        }

        foreach (var (field, messages) in validated.Result.Errors)
        {
            await output.WriteLineAsync($"{field}: {string.Join(" ", messages)}");
        }

        if (validated.Result.Job is not { } job)
        {
            await output.WriteLineAsync(validated.Result.DatasetProblem ?? "The evaluation request is invalid.");
            return 2;
        }

        var code = await ForegroundJob.RunAsync(services, validated.Result, output);
        if (code == 0)
        {
            var folder = Path.Combine(services.GetRequiredService<JobExecutor>().JobDirectory(job.Id), "output");
            await output.WriteLineAsync();
            await output.WriteLineAsync(await File.ReadAllTextAsync(Path.Combine(folder, EvaluationJob.MarkdownFile)));
            await output.WriteLineAsync($"table: {Path.Combine(folder, EvaluationJob.JsonFile)} and {EvaluationJob.MarkdownFile}");
        }

        return code;
    }
}
