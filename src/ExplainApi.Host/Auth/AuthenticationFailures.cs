using ExplainApi.Host.RateLimiting;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Auth;

/// <summary>
/// Failed authentications per client address: a bucket of <see cref="ApiKeyOptions.MaxFailuresPerMinute"/> that
/// every unknown key drains by one. An empty bucket refuses the address's keys (429) before they are looked up,
/// so guessing keys costs a minute per few tries; other addresses are not affected.
/// </summary>
public sealed class AuthenticationFailures(IOptions<ApiKeyOptions> options, TimeProvider clock)
{
    private readonly KeyedTokenBuckets buckets = new(options.Value.MaxFailuresPerMinute, clock);

    /// <summary>False (and the seconds until one more try) when the address has used up its failures.</summary>
    public bool Allows(string address, out int retryAfterSeconds) => buckets.Has(address, 1, out retryAfterSeconds);

    public void Record(string address) => buckets.TryTake(address, 1, out _);
}
