using ExplainApi.Host.Evaluation;
using ExplainApi.Host.Jobs;

namespace ExplainApi.Host.Cli;

/// <summary>
/// `ExplainApi.Host evaluate --model NAME [--options JSON]`: one evaluate job in the foreground (the body of
/// POST /v1/models/{name}/evaluate as JSON, e.g. {"images":100,"expensiveImages":25}), through the same handler, store
/// and runner as the service. Prints the Markdown table and where the job's JSON and Markdown files are.
/// </summary>
public static class EvaluateCommand
{
    public const string Usage =
        "usage: ExplainApi.Host evaluate --model NAME [--options JSON] [--ExplainApi:DataDirectory=DIR]   (JSON: version, dataset, split, splitSeed, methods, images, expensiveImages, seed)";

    public static async Task<int> RunAsync(string[] args, Action<IHostApplicationBuilder> addServices, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!CommandArguments.TryParse(args, ["model", "options"], ["model"], out var values, out var options, out var rest, out var problem))
        {
            await output.WriteLineAsync(problem ?? Usage);
            return 2;
        }

        var request = new JobRequest(EvaluationRequestValidator.Kind, null, values["model"], options);
        return await ForegroundJob.RunAsync(request, rest, addServices, output, async (services, job) =>
        {
            var folder = services.GetRequiredService<JobExecutor>().OutputDirectory(job.Id);
            await output.WriteLineAsync();
            await output.WriteLineAsync(await File.ReadAllTextAsync(Path.Combine(folder, EvaluationFiles.Markdown)));
            await output.WriteLineAsync($"table: {Path.Combine(folder, EvaluationFiles.Json)} and {EvaluationFiles.Markdown}");
        });
    }
}
