using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Auth;

/// <summary>
/// Accepts `Authorization: Bearer KEY` or `X-Api-Key: KEY`. A missing key and a wrong key are both 401
/// (with different details); a right key without the route's scope is 403. An address that presented too many
/// unknown keys (<see cref="AuthenticationFailures"/>) is answered 429 with Retry-After before its key is looked up.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyRegistry registry,
    AuthenticationFailures failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private const string PresentedKey = "ExplainApi.ApiKeyPresented";
    private const string LockedOut = "ExplainApi.AuthLockedOut";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        Context.Items[PresentedKey] = true;
        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!failures.Allows(address, out var retryAfter))
        {
            Context.Items[LockedOut] = retryAfter;
            Logger.LogWarning("Refused an API key from an address with too many failed authentications");
            return Task.FromResult(AuthenticateResult.Fail("Too many failed authentications."));
        }

        var identity = registry.Find(key);
        if (identity is null)
        {
            failures.Record(address);
            Logger.LogInformation("Rejected an unknown API key");
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, identity.Name) };
        claims.AddRange(identity.Scopes.Select(s => new Claim(Scopes.ClaimType, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[LockedOut] is int retryAfter)
        {
            Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await Context.WriteProblemAsync(StatusCodes.Status429TooManyRequests, "Too many failed authentications",
                $"This address presented too many unknown API keys; retry after {retryAfter} s.", ProblemTypes.RateLimited);
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer realm=\"ExplainApi\"";
        var presented = Context.Items.ContainsKey(PresentedKey);
        await Context.WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthenticated",
            presented
                ? "The API key is not valid."
                : $"This route needs an API key: send 'Authorization: Bearer <key>' or '{HeaderName}: <key>'.",
            ProblemTypes.Unauthenticated);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().Distinct().ToList() ?? [];
        await Context.WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden",
            needed.Count > 0
                ? $"The API key lacks the scope this route needs: {string.Join(", ", needed)}."
                : "The API key may not use this route.",
            ProblemTypes.Forbidden);
    }

    private static string? ReadKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        var header = request.Headers[HeaderName].ToString().Trim();
        return header.Length > 0 ? header : null;
    }
}
