using Microsoft.AspNetCore.Authorization;

namespace ExplainApi.Host.Auth;

public static class AuthExtensions
{
    /// <summary>
    /// API-key authentication with one policy per scope (policy name = scope name). The fallback policy
    /// makes every endpoint require a key unless it says AllowAnonymous (health); Swagger's UI and
    /// document are served by middleware ahead of endpoints, so they stay open.
    /// </summary>
    public static IHostApplicationBuilder AddApiKeyAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiKeyOptions>()
            .Bind(builder.Configuration.GetSection(ApiKeyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(ApiKeyRegistryFactory.Create);
        builder.Services.AddHostedService<ApiKeyRegistryLoader>();
        builder.Services.AddSingleton(sp => new AuthenticationFailures(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiKeyOptions>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, _ => { });

        var authorization = builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var scope in Scopes.All)
        {
            authorization.AddPolicy(scope, policy => policy.RequireAuthenticatedUser().RequireClaim(Scopes.ClaimType, scope));
        }

        return builder;
    }
}
