using System.Net;
using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Api;

/// <summary>
/// Failed authentications per client address (3 a minute here, on a clock that stands still). The in-memory server
/// has no socket, so a startup filter takes each request's address from a test header.
/// </summary>
public sealed class AuthFailureLimitTests : IDisposable
{
    private const string AddressHeader = "X-Test-Remote-Address";
    private readonly LimitedFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task After_three_unknown_keys_an_address_gets_429_even_with_a_valid_key_while_another_address_is_unaffected()
    {
        for (var i = 0; i < 3; i++)
        {
            await ProblemAssert.IsProblemAsync(await GetAsync("10.0.0.1", $"guess-{i}"), HttpStatusCode.Unauthorized, "urn:explainapi:problem:unauthenticated");
        }

        var refused = await GetAsync("10.0.0.1", "guess-3");
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "urn:explainapi:problem:rate-limited");
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("too many unknown API keys", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await GetAsync("10.0.0.1", ExplainApiFactory.InferKey), HttpStatusCode.TooManyRequests, "urn:explainapi:problem:rate-limited");

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("10.0.0.2", ExplainApiFactory.InferKey)).StatusCode);
        await ProblemAssert.IsProblemAsync(await GetAsync("10.0.0.2", "guess-4"), HttpStatusCode.Unauthorized, "urn:explainapi:problem:unauthenticated");
        Assert.DoesNotContain(factory.LogEvents, e => e.RenderMessage().Contains("guess", StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> GetAsync(string address, string key)
    {
        using var client = factory.CreateClient(key);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/platform");
        request.Headers.Add(AddressHeader, address);
        return await client.SendAsync(request);
    }

    private sealed class LimitedFactory : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["ExplainApi:Auth:MaxFailuresPerMinute"] = "3" };

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(new StoppedClock());
            services.AddSingleton<IStartupFilter>(new RemoteAddressFromHeader());
        }
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
