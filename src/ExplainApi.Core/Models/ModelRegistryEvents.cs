namespace ExplainApi.Core.Models;

/// <summary>A version became visible in the registry (its manifest is in place).</summary>
public sealed class ModelRegisteredEventArgs(ModelManifest manifest) : EventArgs
{
    public ModelManifest Manifest { get; } = manifest;
}

/// <summary>Versions of a model were removed from the registry.</summary>
public sealed class ModelDeletedEventArgs(string name, IReadOnlyList<int> versions) : EventArgs
{
    public string Name { get; } = name;

    public IReadOnlyList<int> Versions { get; } = versions;
}
