using System.Text.Json;
using ExplainApi.Core.Models;
using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.DifferenceMaps;

/// <summary>The `difference-summary` command runs the same job in the foreground on a data folder's registered models.</summary>
public sealed class DifferenceSummaryCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("explainapi-cli-dsum-").FullName;

    [Fact]
    public async Task The_command_prints_the_summary_and_leaves_the_maps_in_the_jobs_output()
    {
        await TinyDifferenceMapModels.RegisterAsync(new FileModelRegistry(Path.Combine(_data, "models")), _data, "dm-cli", "dm-cli-judge");

        var (exit, output) = await HostCommand.RunAsync(_data, "difference-summary", "--model", "dm-cli", "--options", "{\"images\":2}");

        Assert.True(exit == 0, output);
        var row = System.Text.RegularExpressions.Regex.Match(output, @"\| abnormal \| (\d+) \| (\d+) \| 0 \| 0 \|"); // Table 1's row of the 2 images before translation
        Assert.True(row.Success, output);
        Assert.Equal(2, int.Parse(row.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + int.Parse(row.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        var json = Directory.GetFiles(Path.Combine(_data, "jobs"), "summary.json", SearchOption.AllDirectories).Single();
        Assert.Equal(2, JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement.GetProperty("images").GetInt32());
        Assert.All(["mean.png", "std.png", "mean.nii", "std.nii", "summary.md"], f => Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(json)!, f)), f));
    }

    [Fact]
    public async Task A_classifier_given_as_the_model_exits_2_with_the_reason()
    {
        await TinyDifferenceMapModels.RegisterAsync(new FileModelRegistry(Path.Combine(_data, "models")), _data, "dm-cli", "dm-cli-judge");

        var (exit, output) = await HostCommand.RunAsync(_data, "difference-summary", "--model", "dm-cli-judge");

        Assert.Equal(2, exit);
        Assert.Contains("is a classification model", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
