namespace ExplainApi.Core.Datasets;

/// <summary>What to call an imported dataset and how to shape its images.</summary>
public sealed record DatasetImportOptions
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Square side every image is resized to; null keeps the first accepted image's height and width.</summary>
    public int? Size { get; init; }

    /// <summary>1 (RGB images become BT.601 luma) or 3 (grey images are replicated).</summary>
    public int Channels { get; init; } = 1;
}
