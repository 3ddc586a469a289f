using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Uploads;

/// <summary>
/// One field a route reads from a multipart body: how many parts it may hold, how large each may be, and
/// whether parts are spooled to a private file (archives, models) or kept in memory (images within their limit).
/// </summary>
public sealed record MultipartFieldRule(string Name, int MinCount, int MaxCount, long MaxBytes, bool Spool = false)
{
    /// <summary>The count rule in words, for the 400 that answers a body breaking it.</summary>
    public string CountRule => (MinCount, MaxCount) switch
    {
        (1, 1) => $"Send exactly one file in the multipart field '{Name}'",
        (0, 1) => $"Send at most one part in the multipart field '{Name}'",
        _ => $"Send {MinCount} to {MaxCount} files in the multipart field '{Name}'",
    };
}

/// <summary>What a route accepts in a multipart body; <paramref name="TooLarge"/> answers a part or body over its limit (the limit is passed).</summary>
public sealed record MultipartRules(IReadOnlyList<MultipartFieldRule> Fields, long MaxTotalBytes, Func<long, ProblemHttpResult> TooLarge)
{
    public MultipartFieldRule? Find(string name) => Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
