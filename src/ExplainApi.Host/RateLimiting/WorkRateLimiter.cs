using System.Globalization;
using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.RateLimiting;

/// <summary>
/// Explanation work per API key: a bucket of <see cref="RateLimitOptions.WorkPerMinute"/> pass-pixels that every
/// explanation drains by its cost after validation and before admission, so a RISE-all request counts for what it
/// computes and a Grad-CAM request for little. The request count of <see cref="RateLimitExtensions"/> still applies.
/// </summary>
public sealed class WorkRateLimiter(RateLimitOptions options, TimeProvider clock)
{
    private readonly KeyedTokenBuckets buckets = new(options.WorkPerMinute, clock);

    /// <summary>Null when <paramref name="cost"/> was taken from the caller's bucket; else 429 rate-limited with Retry-After.</summary>
    public ProblemHttpResult? TryConsume(HttpContext http, long cost)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (buckets.TryTake(KeyOf(http), cost, out var retryAfter))
        {
            return null;
        }

        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            title: "Too many requests", statusCode: StatusCodes.Status429TooManyRequests, type: ProblemTypes.RateLimited,
            detail: $"This API key may spend {options.WorkPerMinute} pass-pixels of explanation work per minute and this request costs {cost}; retry after {retryAfter} s.");
    }

    /// <summary>Gives <paramref name="cost"/> back: the request was not admitted (explain-busy), so nothing was computed.</summary>
    public void Refund(HttpContext http, long cost)
    {
        ArgumentNullException.ThrowIfNull(http);
        buckets.Return(KeyOf(http), cost);
    }

    private static string KeyOf(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true ? "key:" + http.User.Identity.Name : "ip:" + http.Connection.RemoteIpAddress;
}
