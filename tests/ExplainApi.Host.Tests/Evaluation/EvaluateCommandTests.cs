using ExplainApi.Host.Tests.Infrastructure;
using System.Text.Json;

namespace ExplainApi.Host.Tests.Evaluation;

/// <summary>The `evaluate` command runs an evaluate job in the foreground on a model the `train` command trained.</summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("explainapi-cli-eval-").FullName;

    private Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => HostCommand.RunAsync(_data, arguments);

    [Fact]
    public async Task Evaluate_prints_the_table_and_leaves_json_and_markdown_files()
    {
        var (trained, trainOutput) = await RunAsync("train", "--kind", "classifier", "--dataset", "synthetic:squares?n=40&size=16&seed=4",
            "--model", "cli-eval", "--options", "{\"epochs\":1,\"batchSize\":8,\"width\":8,\"depth\":1,\"stemStride\":2,\"testFraction\":0.2}");
        Assert.True(trained == 0, trainOutput);

        var (exit, output) = await RunAsync("evaluate", "--model", "cli-eval", "--options", "{\"methods\":[\"gradcam\",\"eigencam\"],\"images\":2}");

        Assert.True(exit == 0, output);
        Assert.Contains("| gradcam | 2 |", output, StringComparison.Ordinal);
        Assert.Contains("| eigencam | 2 |", output, StringComparison.Ordinal);
        var json = Directory.GetFiles(Path.Combine(_data, "jobs"), "evaluation.json", SearchOption.AllDirectories).Single();
        var table = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        Assert.Equal("cli-eval", table.GetProperty("model").GetString());
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(json)!, "evaluation.md")));
    }

    [Fact]
    public async Task Evaluate_of_an_unknown_model_exits_2()
    {
        var (exit, output) = await RunAsync("evaluate", "--model", "missing");

        Assert.Equal(2, exit);
        Assert.Contains("'missing' is not registered", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
