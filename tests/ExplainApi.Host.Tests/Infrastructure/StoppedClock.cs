namespace ExplainApi.Host.Tests.Infrastructure;

/// <summary>A clock that never advances: rate-limit buckets do not refill during a test, however slow the machine.</summary>
public sealed class StoppedClock : TimeProvider
{
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => now;

    public override long GetTimestamp() => 0;
}
