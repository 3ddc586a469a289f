using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Tests.Datasets;

/// <summary>
/// Renders docs/datasets/lesions.png when EXPLAINAPI_WRITE_DOCS=1 (rows: sample pairs; columns: a brain image,
/// its ground truth, a noise image, its ground truth; blob red, thin green, tiny yellow over the dimmed image);
/// otherwise only checks that the picture builds. Shown at twice the size: the tiny lesions are a few pixels.
/// </summary>
public sealed class LesionsPictureTests
{
    private static readonly (byte R, byte G, byte B)[] ClassColours = [(230, 40, 40), (40, 200, 60), (250, 220, 0)];

    [Fact]
    public void The_docs_picture_shows_brain_and_noise_images_beside_their_class_maps()
    {
        var dataset = new LesionsDataset(new LesionsOptions { Count = 16, Size = 112 });
        var size = dataset.Height;
        const int rows = 4, columns = 4, zoom = 2;
        var rgb = new byte[rows * columns * size * size * zoom * zoom * 3];
        for (var r = 0; r < rows; r++)
        {
            for (var half = 0; half < 2; half++)
            {
                var sample = dataset.Get((2 * r) + half); // even: brain, odd: noise
                Paint(rgb, r, 2 * half, size, p => Grey((sample.Pixels[p] + 1) / 2));
                Paint(rgb, r, (2 * half) + 1, size, p =>
                    sample.Segmentation![p] > 0 ? ClassColours[sample.Segmentation[p] - 1] : Grey(0.35f * (sample.Pixels[p] + 1) / 2));
            }
        }

        var png = PngEncoder.Encode(rgb, columns * size * zoom, rows * size * zoom, PngPixelFormat.Rgb8);
        Assert.True(png.Length > 1000);
        if (Environment.GetEnvironmentVariable("EXPLAINAPI_WRITE_DOCS") == "1")
        {
            File.WriteAllBytes(Path.Combine(RepositoryRoot(), "docs", "datasets", "lesions.png"), png);
        }
    }

    private static void Paint(byte[] rgb, int row, int column, int size, Func<int, (byte, byte, byte)> colour)
    {
        const int zoom = 2;
        var stride = 4 * size * zoom * 3;
        for (var y = 0; y < size * zoom; y++)
        {
            for (var x = 0; x < size * zoom; x++)
            {
                var at = (((row * size * zoom) + y) * stride) + (((column * size * zoom) + x) * 3);
                (rgb[at], rgb[at + 1], rgb[at + 2]) = colour((y / zoom * size) + (x / zoom));
            }
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
