namespace ExplainApi.Core.Models;

/// <summary>A version folder that List and Find ignore, and why (for the host to log).</summary>
public sealed record ModelFolderProblem(string Path, string Reason);
