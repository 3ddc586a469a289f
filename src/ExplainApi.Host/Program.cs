using ExplainApi.Host.Auth;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Health;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Logging;
using ExplainApi.Host.OpenApi;
using ExplainApi.Host.Platform;
using ExplainApi.Host.RateLimiting;
using ExplainApi.Host.Storage;

// `ExplainApi.Host hash-api-key` / `new-api-key`: key administration without starting the server.
if (ApiKeyCommands.TryRun(args, Console.Out))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddExplainApiConfiguration();
builder.AddStructuredLogging();
builder.AddProblemResponses();
builder.AddApiKeyAuthentication();
builder.AddRequestRateLimits();
builder.AddStorage();
builder.AddPlatformRuntimes();
builder.AddImaging();
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

await app.RunAsync();

/// <summary>Entry point; public so that WebApplicationFactory can host it in tests.</summary>
public partial class Program;
