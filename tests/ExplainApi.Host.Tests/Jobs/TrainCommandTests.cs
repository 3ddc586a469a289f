using ExplainApi.Host.Tests.Infrastructure;
using System.Text.Json;

namespace ExplainApi.Host.Tests.Jobs;

/// <summary>The `train` command runs a real job in the foreground through the same store and registry as the service.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("explainapi-cli-").FullName;

    private Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => HostCommand.RunAsync(_data, arguments);

    [Fact]
    public async Task Train_runs_a_job_to_a_registered_model_with_a_progress_bar()
    {
        var (exit, output) = await RunAsync("train", "--kind", "logistic-regression", "--dataset", "synthetic:squares?n=40&size=16&seed=2",
            "--model", "cli-model", "--options", "{\"epochs\":2,\"batchSize\":8}");

        Assert.True(exit == 0, output);
        Assert.Contains("epoch 2/2", output, StringComparison.Ordinal);
        Assert.Contains("succeeded: model cli-model version 1", output, StringComparison.Ordinal);
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_data, "models", "cli-model", "1", "manifest.json"))).RootElement;
        Assert.Equal("synthetic:squares?n=40&size=16&seed=2", manifest.GetProperty("dataset").GetString());
        Assert.StartsWith("job_", manifest.GetProperty("trainingJob").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_with_a_bad_option_exits_2_naming_the_field_and_trains_nothing()
    {
        var (exit, output) = await RunAsync("train", "--kind", "logistic-regression", "--dataset", "synthetic:squares?n=40&size=16",
            "--model", "cli-model", "--options", "{\"epochs\":0}");

        Assert.Equal(2, exit);
        Assert.Contains("options.epochs", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_data, "models", "cli-model")));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
