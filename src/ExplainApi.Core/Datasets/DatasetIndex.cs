using System.Text.Json;
using ExplainApi.Core.Files;
using ExplainApi.Core.Storage;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// index.json of an uploaded dataset: what it is (id, name, shape, normalisation, classes) and, per
/// sample in storage order, its label and source file; plus the files refused at import and why.
/// Pixels are in <see cref="PixelsFileName"/> (little-endian float32, CHW per sample, samples back to
/// back) and masks, when present, in <see cref="MasksFileName"/> (one 0/1 byte per pixel per sample).
/// </summary>
public sealed record DatasetIndex
{
    public const string FileName = "index.json";
    public const string PixelsFileName = "pixels.f32";
    public const string MasksFileName = "masks.u8";
    public const int CurrentSchemaVersion = 1;

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary><see cref="DatasetLayout.ClassFolders"/> or <see cref="DatasetLayout.LabelsFile"/>.</summary>
    public required string Layout { get; init; }

    public required int Channels { get; init; }
    public required int Height { get; init; }
    public required int Width { get; init; }
    public required InputNormalization Normalization { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required IReadOnlyList<int> ClassCounts { get; init; }
    public required bool HasMasks { get; init; }
    public required IReadOnlyList<int> Labels { get; init; }
    public required IReadOnlyList<string> Files { get; init; }
    public required IReadOnlyList<RejectedFile> Rejected { get; init; }

    public int Count => Labels.Count;

    public long SampleValues => (long)Channels * Height * Width;

    /// <summary>Reads and checks the index in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The index is unreadable or inconsistent.</exception>
    public static DatasetIndex Load(string directory)
    {
        DatasetIndex? index;
        try
        {
            index = JsonSerializer.Deserialize<DatasetIndex>(File.ReadAllBytes(Path.Combine(directory, FileName)), JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{FileName} is not valid: {exception.Message}", exception);
        }

        return index?.Check() ?? throw new InvalidDataException($"{FileName} is empty.");
    }

    public void Save(string directory, IStorageFiles? files = null)
    {
        using var stream = (files ?? DiskFiles.Instance).CreateNew(Path.Combine(directory, FileName));
        JsonSerializer.Serialize(stream, this, JsonOptions);
        DiskFiles.FlushToDisk(stream);
    }

    public static int[] CountPerClass(IEnumerable<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var counts = new int[classes];
        foreach (var label in labels)
        {
            counts[label]++;
        }

        return counts;
    }

    private DatasetIndex Check()
    {
        var problem = SchemaVersion != CurrentSchemaVersion ? $"schema version {SchemaVersion} is not {CurrentSchemaVersion}"
            : Channels is not (1 or 3) || Height <= 0 || Width <= 0 ? $"shape {Channels}x{Height}x{Width} is invalid"
            : Files.Count != Labels.Count ? $"{Files.Count} files but {Labels.Count} labels"
            : ClassCounts.Count != ClassNames.Count ? $"{ClassCounts.Count} class counts for {ClassNames.Count} classes"
            : Labels.Any(l => l < 0 || l >= ClassNames.Count) ? "a label is out of range"
            : !CountPerClass(Labels, ClassNames.Count).SequenceEqual(ClassCounts) ? "the class counts do not match the labels"
            : null;
        return problem is null ? this : throw new InvalidDataException($"{FileName}: {problem}.");
    }
}
