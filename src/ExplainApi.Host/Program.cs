using ExplainApi.Host.Auth;
using ExplainApi.Host.Cli;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.Demo;
using ExplainApi.Host.DifferenceMaps;
using ExplainApi.Host.Evaluation;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Health;
using ExplainApi.Host.Datasets;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Jobs;
using ExplainApi.Host.Logging;
using ExplainApi.Host.Models;
using ExplainApi.Host.OpenApi;
using ExplainApi.Host.Platform;
using ExplainApi.Host.RateLimiting;
using ExplainApi.Host.Segmentation;
using ExplainApi.Host.Uploads;

// `ExplainApi.Host hash-api-key` / `new-api-key`: key administration without starting the server.
if (ApiKeyCommands.TryRun(args, Console.Out))
{
    return;
}

// `ExplainApi.Host train …` / `evaluate …` / `difference-summary …`: one job in the foreground.
if (JobCommands.Find(args) is { } command)
{
    Environment.ExitCode = await command(args[1..], b => b.AddExplainApiOptions().AddTrainingServices(), Console.Out);
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddExplainApiConfiguration();
builder.AddStructuredLogging();
builder.AddProblemResponses();
builder.AddApiKeyAuthentication();
builder.AddRequestRateLimits();
builder.AddPlatformRuntimes();
builder.AddExplainAdmission();
builder.AddTrainingServices();
builder.AddSegmentationRefinement();
builder.AddUploadSpool();
builder.AddDemoModel();
builder.AddHealth();
builder.AddOpenApiDocument();

var app = builder.Build();

app.UseProblemResponses();
app.UseRequestLogging();
app.UseApiDocumentation();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapHealthEndpoints();
app.MapPlatformEndpoints();
app.MapImageEndpoints();
app.MapDatasetEndpoints();
app.MapModelEndpoints();
app.MapDifferenceMapEndpoints();
app.MapRefineEndpoints();
app.MapSegmentEndpoints();
app.MapJobEndpoints();
app.MapEvaluationEndpoints();
app.MapDifferenceSummaryEndpoints();

await app.RunAsync();

/// <summary>Entry point; public so that WebApplicationFactory can host it in tests.</summary>
public partial class Program;
