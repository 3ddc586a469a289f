using System.IO.Compression;
using System.Net.Http.Headers;
using ExplainApi.Dicom.Tests;
using ExplainApi.Host.Tests.Infrastructure;
using SkiaSharp;

namespace ExplainApi.Host.Tests.Datasets;

/// <summary>Zip uploads for the dataset API tests, with images in every format the service reads.</summary>
internal static class DatasetArchives
{
    public const string Colin = "/usr/share/mricron/templates/ch2.nii.gz";

    public static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(data);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Two classes of 8-bit grey PNGs (gradients of different sizes).</summary>
    public static (string, byte[])[] TwoClasses(int perClass) =>
    [
        .. Enumerable.Range(0, perClass).Select(i => ($"normal/n{i}.png", TestImages.Gradient8(12, 10))),
        .. Enumerable.Range(0, perClass).Select(i => ($"abnormal/a{i}.png", TestImages.Gradient8(20, 16))),
    ];

    public static ByteArrayContent ZipContent(byte[] zip) => TestImages.Content(zip, "application/zip");

    public static MultipartFormDataContent Multipart(byte[] zip, string fileName, string field = "archive")
    {
        var part = new ByteArrayContent(zip);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return new MultipartFormDataContent { { part, field, fileName } };
    }

    public static byte[] Jpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 8), (byte)(y * 8), 128));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    /// <summary>A 16×12 8-bit DICOM written by GDCM's gdcmimg.</summary>
    public static byte[] Dicom(string directory)
    {
        var raw = Path.Combine(directory, "image.raw");
        File.WriteAllBytes(raw, [.. Enumerable.Range(0, 16 * 12).Select(i => (byte)(i * 5 % 256))]);
        var dicom = Path.Combine(directory, "image.dcm");
        DicomTools.Run("gdcmimg", "--size", "16,12", "--depth", "8", "--sign", "0", raw, dicom);
        return File.ReadAllBytes(dicom);
    }
}
