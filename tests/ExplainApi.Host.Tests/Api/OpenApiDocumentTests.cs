using System.Text.Json;
using System.Text.Json.Nodes;
using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.Api;

/// <summary>
/// The committed openapi/explainapi.v1.json is the contract integrators build against; this fails when
/// the running application's document differs. To accept a deliberate change, run the tests with
/// EXPLAINAPI_UPDATE_OPENAPI=1 (it rewrites the file) and commit the diff.
/// </summary>
public sealed class OpenApiDocumentTests(ExplainApiFactory factory) : IClassFixture<ExplainApiFactory>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task The_served_document_matches_the_committed_file()
    {
        var served = JsonNode.Parse(await factory.CreateClient(apiKey: null).GetStringAsync("/swagger/v1/swagger.json"))!;
        var path = Path.Combine(TestImages.RepositoryRoot(), "openapi", "explainapi.v1.json");
        var servedText = served.ToJsonString(Indented) + "\n";
        if (Environment.GetEnvironmentVariable("EXPLAINAPI_UPDATE_OPENAPI") == "1")
        {
            File.WriteAllText(path, servedText);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with EXPLAINAPI_UPDATE_OPENAPI=1.");
        var committed = JsonNode.Parse(File.ReadAllText(path))!;
        if (!JsonNode.DeepEquals(served, committed))
        {
            File.WriteAllText(Path.ChangeExtension(path, ".actual.json"), servedText);
            Assert.Fail($"The OpenAPI document drifted from {path}; the served one is in explainapi.v1.actual.json. " +
                "If the change is intended, rerun with EXPLAINAPI_UPDATE_OPENAPI=1 and commit the file.");
        }
    }

    [Fact]
    public async Task Every_operation_has_an_id_a_summary_and_protected_ones_declare_security()
    {
        var document = JsonNode.Parse(await factory.CreateClient(apiKey: null).GetStringAsync("/swagger/v1/swagger.json"))!;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.False(string.IsNullOrEmpty(operation!["operationId"]?.GetValue<string>()), $"{method} {path} has no operationId");
                Assert.False(string.IsNullOrEmpty(operation["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
                var isHealth = path.Contains("health", StringComparison.Ordinal);
                Assert.Equal(!isHealth, operation["security"] is JsonArray { Count: > 0 });
            }
        }

        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("bearer", schemes["Bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", schemes["ApiKey"]!["name"]!.GetValue<string>());
        var upload = document["paths"]!["/v1/images/inspect"]!["post"]!["requestBody"]!["content"]!.AsObject();
        Assert.Equal("binary", upload["application/dicom"]!["schema"]!["format"]!.GetValue<string>());
        Assert.NotNull(upload["multipart/form-data"]!["schema"]!["properties"]!["image"]);
    }
}
