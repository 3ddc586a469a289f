using System.Text.Json;
using ExplainApi.Core.Rendering.Charts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Jobs;

/// <summary>
/// GET /v1/jobs/{id}/curves.png: losses (log scale) and validation metrics against the training step,
/// drawn from the job's progress events, for people who would rather look than poll.
/// </summary>
public static class JobCurvesEndpoint
{
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Plot(string id, JobStore store, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is null)
        {
            return JobEndpoints.NotFound(id);
        }

        var losses = new Dictionary<string, List<(double, double)>>();
        var metrics = new Dictionary<string, List<(double, double)>>();
        long after = 0;
        while (true)
        {
            var events = await store.EventsAfterAsync(id, after, cancellationToken);
            if (events.Count == 0)
            {
                break;
            }

            foreach (var e in events.Where(e => e.Type == "progress"))
            {
                var progress = JsonSerializer.Deserialize<JobProgress>(e.Data, JobStore.Json)!;
                Add(losses, progress.Losses, progress.Step);
                Add(metrics, progress.Metrics, progress.Step);
            }

            after = events[^1].Seq;
        }

        var png = LineChart.RenderPng(
        [
            new ChartPanel("loss", "step", Series(losses), LogY: true),
            new ChartPanel("validation metrics", "step", Series(metrics)),
        ]);
        return TypedResults.File(png, "image/png");
    }

    private static void Add(Dictionary<string, List<(double, double)>> series, IReadOnlyDictionary<string, double> values, long step)
    {
        foreach (var (name, value) in values)
        {
            if (!series.TryGetValue(name, out var points))
            {
                series[name] = points = [];
            }

            // A metric repeats in every report until the next validation: keep one point per value change.
            if (points.Count == 0 || points[^1].Item2 != value || points[^1].Item1 != step)
            {
                points.Add((step, value));
            }
        }
    }

    private static List<ChartSeries> Series(Dictionary<string, List<(double, double)>> series) =>
        [.. series.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new ChartSeries(s.Key, s.Value))];
}
