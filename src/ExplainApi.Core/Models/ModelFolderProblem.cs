namespace ExplainApi.Core.Models;

/// <summary>A folder of the registry that is neither a model nor a version (named relative to the registry), and why.</summary>
public sealed record ModelFolderProblem(string Folder, string Reason);
