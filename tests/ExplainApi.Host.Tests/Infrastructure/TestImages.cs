using System.Net.Http.Headers;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Host.Tests.Infrastructure;

/// <summary>Small deterministic images, encoded by our own PNG writer.</summary>
public static class TestImages
{
    /// <summary>An 8-bit grey PNG whose pixel (x, y) is (x * 7 + y * 3) mod 256.</summary>
    public static byte[] Gradient8(int width, int height)
    {
        var samples = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                samples[(y * width) + x] = (byte)(((x * 7) + (y * 3)) % 256);
            }
        }

        return PngEncoder.Encode(samples, width, height, PngPixelFormat.Grey8);
    }

    public static ByteArrayContent PngContent(byte[] png) => Content(png, "image/png");

    public static ByteArrayContent Content(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExplainApi.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ExplainApi.sln not found above the test output folder.");
    }
}
