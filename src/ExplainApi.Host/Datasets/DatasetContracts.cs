using System.ComponentModel;
using ExplainApi.Core.Datasets;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Datasets;

/// <summary>How an uploaded archive becomes a dataset.</summary>
public readonly record struct DatasetUploadQuery(
    [property: FromQuery(Name = "name"), Description("A name for people (default: the uploaded file's name, or the id).")] string? Name,
    [property: FromQuery(Name = "size"), Description("Resize every image to size×size (default: the first accepted image's size).")] int? Size,
    [property: FromQuery(Name = "channels"), Description("1 (default; RGB becomes luma) or 3 (grey is replicated).")] int? Channels)
{
    public const int MaxSize = 2048, MaxNameLength = 100;

    public string? Validate() =>
        Name is { } name && (name.Trim().Length == 0 || name.Length > MaxNameLength || name.Any(char.IsControl))
            ? $"name must be 1–{MaxNameLength} characters without control characters."
        : Size is < 1 or > MaxSize ? $"size must be between 1 and {MaxSize}."
        : Channels is not (null or 1 or 3) ? "channels must be 1 or 3."
        : null;
}

public sealed record DatasetClassView(string Name, int Count);

public sealed record ImageShapeView(int Channels, int Height, int Width);

public sealed record RejectedFileView(string File, string Reason);

/// <summary>An uploaded dataset; its id is the reference a training job names.</summary>
public sealed record DatasetView(
    string Id,
    string Name,
    int Count,
    IReadOnlyList<DatasetClassView> Classes,
    ImageShapeView Shape,
    string Normalization,
    bool HasMasks,
    string Layout,
    IReadOnlyList<RejectedFileView> Rejected,
    DateTimeOffset CreatedAt)
{
    public static DatasetView From(DatasetIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return new DatasetView(index.Id, index.Name, index.Count, ClassesOf(index), new ImageShapeView(index.Channels, index.Height, index.Width),
            index.Normalization.Kind, index.HasMasks, index.Layout, [.. index.Rejected.Select(r => new RejectedFileView(r.File, r.Reason))], index.CreatedAt);
    }

    public static IReadOnlyList<DatasetClassView> ClassesOf(DatasetIndex index) =>
        [.. index.ClassNames.Select((name, i) => new DatasetClassView(name, index.ClassCounts[i]))];
}

/// <summary>An uploaded dataset in a list: the rejected files are only counted.</summary>
public sealed record DatasetSummaryView(string Id, string Name, int Count, IReadOnlyList<DatasetClassView> Classes, ImageShapeView Shape,
    int RejectedCount, DateTimeOffset CreatedAt)
{
    public static DatasetSummaryView From(DatasetIndex index) => new(index.Id, index.Name, index.Count, DatasetView.ClassesOf(index),
        new ImageShapeView(index.Channels, index.Height, index.Width), index.Rejected.Count, index.CreatedAt);
}

public sealed record SyntheticParameterView(string Name, string Description, long Default, long Min, long Max);

/// <summary>A built-in generator; <see cref="Example"/> is a reference with every default spelled out.</summary>
public sealed record SyntheticGeneratorView(string Name, string Description, string Example, IReadOnlyList<SyntheticParameterView> Parameters)
{
    public static SyntheticGeneratorView From(ISyntheticGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var example = $"{SyntheticReference.Scheme}{generator.Name}" +
            (generator.Parameters.Count == 0 ? "" : "?" + string.Join("&", generator.Parameters.Select(p => $"{p.Name}={p.Format(p.Default)}")));
        return new SyntheticGeneratorView(generator.Name, generator.Description, example,
            [.. generator.Parameters.Select(p => new SyntheticParameterView(p.Name, p.Description, p.Default, p.Min, p.Max))]);
    }
}

public sealed record DatasetCatalog(IReadOnlyList<DatasetSummaryView> Uploaded, IReadOnlyList<SyntheticGeneratorView> Synthetic);
