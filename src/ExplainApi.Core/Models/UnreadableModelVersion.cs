namespace ExplainApi.Core.Models;

/// <summary>A version folder whose manifest cannot be read: listed as failed with this reason, never hidden.</summary>
public sealed record UnreadableModelVersion(string Name, int Version)
{
    /// <summary>The reason clients see: the exception text could carry server paths.</summary>
    public const string Reason = "manifest unreadable";
}
