using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Tests.Training;

/// <summary>A work and an output directory under the temp folder, removed on dispose, and the runs that use them.</summary>
internal sealed class TrainingTestRun : IDisposable
{
    public TrainingTestRun()
    {
        Root = Directory.CreateTempSubdirectory("explainapi-train-").FullName;
        Work = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;
        Output = Directory.CreateDirectory(Path.Combine(Root, "output")).FullName;
    }

    public string Root { get; }

    public string Work { get; }

    public string Output { get; }

    public List<TrainingProgress> Reports { get; } = [];

    public TrainingRun Create(IDataset dataset, JsonObject options, int checkpointEverySteps = 1000, Action<TrainingProgress>? onReport = null) =>
        new("job_test", options, dataset, Work, Output, checkpointEverySteps, new Recorder(p =>
        {
            Reports.Add(p);
            onReport?.Invoke(p);
        }));

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Synchronous, unlike Progress&lt;T&gt;, so a test can cancel at an exact step.</summary>
    private sealed class Recorder(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
