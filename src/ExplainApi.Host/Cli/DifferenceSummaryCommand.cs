using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Host.DifferenceMaps;
using ExplainApi.Host.Jobs;

namespace ExplainApi.Host.Cli;

/// <summary>
/// `ExplainApi.Host difference-summary --model NAME [--dataset D] [--options JSON]`: one difference-summary job in the
/// foreground (options: version, direction, split, splitSeed, images), through the same handler as POST /v1/jobs. Prints
/// the confusion matrices and where the maps and the JSON are.
/// </summary>
public static class DifferenceSummaryCommand
{
    public const string Usage =
        "usage: ExplainApi.Host difference-summary --model NAME [--dataset DATASET] [--options JSON] [--ExplainApi:DataDirectory=DIR]   (JSON: version, direction, split, splitSeed, images)";

    public static async Task<int> RunAsync(string[] args, Action<IHostApplicationBuilder> addServices, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!CommandArguments.TryParse(args, ["model", "dataset", "options"], ["model"], out var values, out var options, out var rest, out var problem))
        {
            await output.WriteLineAsync(problem ?? Usage);
            return 2;
        }

        var request = new JobRequest(DifferenceSummaryJobHandler.JobKind, values.GetValueOrDefault("dataset"), values["model"], options);
        return await ForegroundJob.RunAsync(request, rest, addServices, output, async (services, job) =>
        {
            var folder = services.GetRequiredService<JobExecutor>().OutputDirectory(job.Id);
            await output.WriteLineAsync(await File.ReadAllTextAsync(Path.Combine(folder, DifferenceSummaryFiles.Markdown)));
            await output.WriteLineAsync($"maps: {folder} ({string.Join(", ", DifferenceSummaryFiles.Files)})");
        });
    }
}
