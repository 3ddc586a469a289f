using ExplainApi.Core.Datasets.Brain;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.Datasets;

/// <summary>
/// Renders docs/datasets/brain-atrophy.png (rows: subjects; columns: a class-0 subject, a class-1 subject
/// before and after atrophy, and its change on the diverging map, blue = darker) when EXPLAINAPI_WRITE_DOCS=1; otherwise only checks that the picture builds.
/// </summary>
public sealed class BrainAtrophyPictureTests
{
    [Fact]
    public void The_docs_picture_shows_subjects_of_both_classes_and_their_change()
    {
        var dataset = new BrainAtrophyDataset(new BrainAtrophyOptions { Count = 8, Size = 128 });
        var size = dataset.Height;
        const int rows = 4, columns = 4;
        var rgb = new byte[rows * columns * size * size * 3];
        for (var r = 0; r < rows; r++)
        {
            var (normal, atrophy) = (dataset.Get(2 * r), dataset.Get((2 * r) + 1));
            var change = atrophy.Mask!;
            var limit = Math.Max(change.Max(Math.Abs), 1e-6f);
            Paint(rgb, r, 0, size, Array.ConvertAll(normal.Pixels, v => (v + 1) / 2), grey: true);
            var before = atrophy.Pixels.Zip(change, (v, c) => (v - c + 1) / 2).ToArray();
            Paint(rgb, r, 1, size, before, grey: true);
            Paint(rgb, r, 2, size, Array.ConvertAll(atrophy.Pixels, v => (v + 1) / 2), grey: true);
            Paint(rgb, r, 3, size, Array.ConvertAll(change, v => 0.5f + (v / (2 * limit))), grey: false);
        }

        var png = PngEncoder.Encode(rgb, columns * size, rows * size, PngPixelFormat.Rgb8);
        Assert.True(png.Length > 1000);
        if (Environment.GetEnvironmentVariable("EXPLAINAPI_WRITE_DOCS") == "1")
        {
            File.WriteAllBytes(Path.Combine(RepositoryRoot(), "docs", "datasets", "brain-atrophy.png"), png);
        }
    }

    private static void Paint(byte[] rgb, int row, int column, int size, float[] values, bool grey)
    {
        var stride = 4 * size * 3;
        for (var p = 0; p < values.Length; p++)
        {
            var (r, g, b) = grey ? Grey(values[p]) : ColorMap.CoolWarm[values[p]];
            var at = (((row * size) + (p / size)) * stride) + (((column * size) + (p % size)) * 3);
            (rgb[at], rgb[at + 1], rgb[at + 2]) = (r, g, b);
        }
    }

    private static (byte, byte, byte) Grey(float v)
    {
        var level = (byte)Math.Round(255 * Math.Clamp(v, 0f, 1f));
        return (level, level, level);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExplainApi.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ExplainApi.sln not found above the test binaries.");
    }
}
