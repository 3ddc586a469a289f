namespace ExplainApi.Host.Tests.Infrastructure;

/// <summary>Waits for state another thread changes (a slot freed when a response completes), failing after 30 s.</summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<bool> condition, string message)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, message);
            await Task.Delay(10);
        }
    }
}
