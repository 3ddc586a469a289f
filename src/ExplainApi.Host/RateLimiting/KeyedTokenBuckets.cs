namespace ExplainApi.Host.RateLimiting;

/// <summary>
/// A token bucket per key (API key, client address) holding at most <c>capacity</c> tokens and refilling
/// continuously at <c>capacity</c> per minute from <see cref="TimeProvider"/>. Buckets that are full again are
/// forgotten once more than <c>maxKeys</c> exist, so many one-off addresses do not grow memory for ever.
/// </summary>
public sealed class KeyedTokenBuckets(double capacity, TimeProvider clock, int maxKeys = 10_000)
{
    private readonly Dictionary<string, (double Tokens, long Stamp)> buckets = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public double Capacity => capacity;

    /// <summary>
    /// Takes min(<paramref name="amount"/>, capacity) tokens when the bucket holds that many (so a request dearer than
    /// the whole bucket passes only when it is full); otherwise takes nothing and says in how many seconds it will.
    /// </summary>
    public bool TryTake(string key, double amount, out int retryAfterSeconds)
    {
        var wanted = Math.Min(amount, capacity);
        lock (gate)
        {
            var tokens = Refill(key);
            if (tokens >= wanted)
            {
                buckets[key] = (tokens - wanted, clock.GetTimestamp());
                retryAfterSeconds = 0;
                return true;
            }

            retryAfterSeconds = SecondsUntil(wanted - tokens);
            return false;
        }
    }

    /// <summary>Gives back tokens taken for work that was then not done (up to the capacity).</summary>
    public void Return(string key, double amount)
    {
        lock (gate)
        {
            buckets[key] = (Math.Min(capacity, Refill(key) + Math.Min(amount, capacity)), clock.GetTimestamp());
        }
    }

    /// <summary>True when the bucket holds at least <paramref name="amount"/> tokens (nothing is taken).</summary>
    public bool Has(string key, double amount, out int retryAfterSeconds)
    {
        lock (gate)
        {
            var tokens = Refill(key);
            retryAfterSeconds = tokens >= amount ? 0 : SecondsUntil(Math.Min(amount, capacity) - tokens);
            return tokens >= amount;
        }
    }

    // The key's tokens now (stored with the current time); a new key starts full.
    private double Refill(string key)
    {
        var now = clock.GetTimestamp();
        if (!buckets.TryGetValue(key, out var bucket))
        {
            Forget(now);
            bucket = (capacity, now);
        }

        var tokens = Math.Min(capacity, bucket.Tokens + (clock.GetElapsedTime(bucket.Stamp, now).TotalMinutes * capacity));
        buckets[key] = (tokens, now);
        return tokens;
    }

    private void Forget(long now)
    {
        if (buckets.Count < maxKeys)
        {
            return;
        }

        foreach (var (key, bucket) in buckets.ToList())
        {
            if (bucket.Tokens + (clock.GetElapsedTime(bucket.Stamp, now).TotalMinutes * capacity) >= capacity)
            {
                buckets.Remove(key);
            }
        }
    }

    private int SecondsUntil(double missing) => (int)Math.Max(1, Math.Ceiling(missing / capacity * 60));
}
