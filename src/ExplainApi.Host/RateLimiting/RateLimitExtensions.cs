using System.Globalization;
using System.Threading.RateLimiting;
using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;

namespace ExplainApi.Host.RateLimiting;

public static class RateLimitExtensions
{
    /// <summary>
    /// A fixed window per API key (per client address before authentication succeeds). Health probes are
    /// never limited: an orchestrator must always be able to ask.
    /// </summary>
    public static IHostApplicationBuilder AddRequestRateLimits(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddOptions<RateLimitOptions>()
            .Bind(builder.Configuration.GetSection(RateLimitOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new WorkRateLimiter(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
                {
                    return RateLimitPartition.GetNoLimiter("anonymous");
                }

                var partition = context.User.Identity?.IsAuthenticated == true
                    ? "key:" + context.User.Identity.Name
                    : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitsPerWindow,
                    Window = TimeSpan.FromSeconds(options.WindowSeconds),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? (int)Math.Ceiling(wait.TotalSeconds)
                    : options.WindowSeconds;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.WriteProblemAsync(StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"This API key may make {options.PermitsPerWindow} requests per {options.WindowSeconds} s; retry after {retryAfter} s.",
                    ProblemTypes.RateLimited);
            };
        });
        return builder;
    }
}
