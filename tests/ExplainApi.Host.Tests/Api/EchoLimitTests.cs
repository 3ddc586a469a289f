using System.Net;
using System.Net.Http.Json;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Models;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.Tests.Models;

namespace ExplainApi.Host.Tests.Api;

/// <summary>
/// Problem documents quote what the client sent, bounded: a huge value in, a small answer out that still says what
/// was wrong. URLs carry 60 000 characters (System.Uri's limit is ~65 000; Kestrel's request line 8 KiB), headers
/// and JSON fields 5 MB.
/// </summary>
public sealed class EchoLimitTests
{
    private const int MaxProblemBytes = 4096;
    private static readonly string LongUrlValue = new('v', 60_000);
    private static readonly string FiveMegabytes = new('v', 5_000_000);

    [Theory]
    [InlineData("POST", "/v1/images/render?view={0}", HttpStatusCode.BadRequest, "Unknown view 'vvv")]
    [InlineData("POST", "/v1/models/tiny/saliency?render={0}", HttpStatusCode.BadRequest, "Unknown render 'vvv")]
    [InlineData("GET", "/v1/models/{0}", HttpStatusCode.NotFound, "Model 'vvv")]
    [InlineData("GET", "/v1/jobs/{0}", HttpStatusCode.NotFound, "There is no job 'vvv")]
    [InlineData("GET", "/v1/datasets/{0}", HttpStatusCode.NotFound, "No uploaded dataset has the id 'vvv")]
    public async Task A_huge_value_in_the_url_is_echoed_cut_to_a_small_problem(string method, string template, HttpStatusCode status, string start)
    {
        using var factory = new ExplainApiFactory();
        using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, template, LongUrlValue));
        request.Content = method == "POST" ? TestImages.PngContent(TestImages.Gradient8(4, 4)) : null;

        var detail = await SmallProblemDetailAsync(await factory.CreateClient(ExplainApiFactory.AdminKey).SendAsync(request), status);

        Assert.StartsWith(start, detail, StringComparison.Ordinal);
        Assert.Contains($"…({LongUrlValue.Length} chars)", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/images/inspect", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("/v1/datasets", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_huge_content_type_is_echoed_cut(string path, HttpStatusCode status)
    {
        using var factory = new ExplainApiFactory();
        var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.TryAddWithoutValidation("Content-Type", "image/x-" + FiveMegabytes);

        var detail = await SmallProblemDetailAsync(await factory.CreateClient(ExplainApiFactory.AdminKey).PostAsync(path, content), status);

        Assert.StartsWith("Content-Type 'image/x-vvv", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_KServe_method_parameter_is_echoed_cut()
    {
        using var factory = new ExplainApiFactory();
        var client = factory.CreateClient(ExplainApiFactory.InferKey);
        await ModelApiTests.RegisterAsync(factory, "tiny");
        await ModelApiTests.WaitUntilReadyAsync(client, "tiny", 1);
        var body = new
        {
            inputs = new[] { new { name = "input", shape = new[] { 1, 1, 2, 2 }, datatype = "FP32", data = new[] { 1, 2, 3, 4 } } },
            // Within the route's body cap (16 × C×H×W numbers + 64 KiB): a 5 MB body is refused 413 before it is read.
            parameters = new { method = LongUrlValue },
        };

        var detail = await SmallProblemDetailAsync(await client.PostAsJsonAsync("/v2/models/tiny/explain", body), HttpStatusCode.BadRequest);

        Assert.StartsWith("Unknown method 'vvv", detail, StringComparison.Ordinal);
        Assert.Contains($"…({LongUrlValue.Length} chars)'; known: ", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_problem_instance_is_cut_whatever_produced_the_problem()
    {
        using var factory = new ExplainApiFactory();

        var response = await factory.CreateClient(ExplainApiFactory.AdminKey).GetAsync("/v1/nothing/" + LongUrlValue);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.StartsWith("GET /v1/nothing/vvv", problem.GetProperty("instance").GetString(), StringComparison.Ordinal);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length < MaxProblemBytes);
    }

    [Fact]
    public void Control_characters_are_replaced_and_short_values_kept()
    {
        Assert.Equal("a\uFFFDb", Echo.Value("a\nb"));
        Assert.Equal("gradcam", Echo.Value("gradcam"));
        Assert.Equal(new string('x', Echo.MaxValueLength) + "…(101 chars)", Echo.Value(new string('x', 101)));
    }

    private static async Task<string> SmallProblemDetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await ProblemAssert.IsProblemAsync(response, status);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length < MaxProblemBytes, problem.ToString()[..200]);
        return problem.GetProperty("detail").GetString()!;
    }
}
