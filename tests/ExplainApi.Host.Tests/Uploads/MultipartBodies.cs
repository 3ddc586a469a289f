using System.Net.Http.Headers;
using System.Text;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.Uploads;
using Serilog.Events;

namespace ExplainApi.Host.Tests.Uploads;

/// <summary>Raw multipart bodies written byte by byte (so tests can break them), and the spool checks every upload test ends with.</summary>
internal static class MultipartBodies
{
    public const string Boundary = "test-boundary-7d3f";

    public sealed record Part(string Field, string? FileName, string ContentType, byte[] Data);

    public static byte[] Build(string boundary, params Part[] parts)
    {
        using var body = new MemoryStream();
        foreach (var part in parts)
        {
            var disposition = part.FileName is null ? $"form-data; name=\"{part.Field}\"" : $"form-data; name=\"{part.Field}\"; filename=\"{part.FileName}\"";
            body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: {part.ContentType}\r\n\r\n"));
            body.Write(part.Data);
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        return body.ToArray();
    }

    public static ByteArrayContent Content(byte[] body, string boundary = Boundary)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        return content;
    }

    /// <summary>The body as a client whose connection broke would leave it: cut inside the last part, no closing boundary.</summary>
    public static ByteArrayContent Truncated(byte[] body, string boundary = Boundary) => Content(body[..(body.Length - boundary.Length - 40)], boundary);

    public static Part Png(string field = "image", int size = 8) => new(field, $"{field}.png", "image/png", TestImages.Gradient8(size, size));

    /// <summary>Files left in the factory's spool folder, and descriptors this process holds open on them.</summary>
    public static void AssertSpoolClean(ExplainApiFactory factory)
    {
        var spool = Path.Combine(factory.DataDirectory, SpoolFolder.FolderName);
        Assert.Empty(Directory.Exists(spool) ? Directory.EnumerateFileSystemEntries(spool) : []);
        var open = new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Select(fd => SafeLinkTarget(fd)).Where(target => target?.StartsWith(spool, StringComparison.Ordinal) == true).ToList();
        Assert.Empty(open);
    }

    /// <summary>Every log event as text: message, properties and exception.</summary>
    public static IEnumerable<string> Rendered(IEnumerable<LogEvent> events) =>
        events.Select(e => $"{e.RenderMessage()} {string.Join(" ", e.Properties.Values)} {e.Exception}");

    private static string? SafeLinkTarget(FileSystemInfo fd)
    {
        try
        {
            return fd.LinkTarget;
        }
        catch (IOException)
        {
            return null; // closed while we looked
        }
    }
}

/// <summary>A body streamed without Content-Length: the server can only count it.</summary>
internal sealed class StreamedMultipartContent(string field, string fileName, long partBytes) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"--{MultipartBodies.Boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
        var chunk = new byte[1 << 20];
        for (long written = 0; written < partBytes; written += chunk.Length)
        {
            await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, partBytes - written)));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"\r\n--{MultipartBodies.Boundary}--\r\n"));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    public static StreamedMultipartContent Create(string field, string fileName, long partBytes)
    {
        var content = new StreamedMultipartContent(field, fileName, partBytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={MultipartBodies.Boundary}");
        return content;
    }
}
