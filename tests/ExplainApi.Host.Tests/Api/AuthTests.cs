using System.Net;
using System.Net.Http.Headers;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.Api;

public sealed class AuthTests(ExplainApiFactory factory) : IClassFixture<ExplainApiFactory>
{
    private static HttpContent SmallPng() => TestImages.PngContent(TestImages.Gradient8(8, 8));

    [Fact]
    public async Task A_request_without_a_key_is_401_with_a_bearer_challenge()
    {
        var response = await factory.CreateClient(apiKey: null).PostAsync("/v1/images/inspect", SmallPng());
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("needs an API key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_401_and_says_the_key_is_not_valid()
    {
        var response = await factory.CreateClient("not-a-key").PostAsync("/v1/images/inspect", SmallPng());
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
        Assert.Contains("not valid", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_without_the_routes_scope_is_403_naming_the_scope()
    {
        var response = await factory.CreateClient(ExplainApiFactory.TrainKey).PostAsync("/v1/images/inspect", SmallPng());
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Contains("infer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExplainApiFactory.InferKey)]
    [InlineData(ExplainApiFactory.AdminKey)]
    public async Task A_key_with_the_scope_is_accepted_as_a_bearer_token(string key)
    {
        var response = await factory.CreateClient(key).PostAsync("/v1/images/inspect", SmallPng());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_key_is_accepted_in_the_X_Api_Key_header()
    {
        var client = factory.CreateClient(apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/inspect") { Content = SmallPng() };
        request.Headers.Add("X-Api-Key", ExplainApiFactory.InferKey);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_routes_need_no_key()
    {
        var client = factory.CreateClient(apiKey: null);
        foreach (var path in new[] { "/healthz/live", "/healthz/ready", "/v2/health/live", "/v2/health/ready" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task The_swagger_page_and_document_need_no_key()
    {
        var client = factory.CreateClient(apiKey: null);
        var page = await client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("text/html").MediaType, page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/v1/swagger.json")).StatusCode);
    }

    [Fact]
    public void Configured_keys_are_matched_by_hash_only()
    {
        var registry = new Auth.ApiKeyRegistry();
        registry.Add(Auth.ApiKeyRegistry.HashHex("secret-one"), "one", ["infer"]);
        Assert.Equal("one", registry.Find("secret-one")?.Name);
        Assert.Null(registry.Find("secret-two"));
        Assert.Null(registry.Find(Auth.ApiKeyRegistry.HashHex("secret-one")));
        Assert.Throws<InvalidOperationException>(() => registry.Add(Auth.ApiKeyRegistry.HashHex("x"), "bad", ["root"]));
    }
}
