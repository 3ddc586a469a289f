using System.Buffers.Binary;
using System.Net;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Tests.Infrastructure;
using SkiaSharp;

namespace ExplainApi.Host.Tests.Api;

/// <summary>An image whose data ends before what its header declares is 422 image-truncated, never a grey-filled 200.</summary>
public sealed class TruncatedImageEndpointTests(ExplainApiFactory factory) : IClassFixture<ExplainApiFactory>
{
    private const string Colin = "/usr/share/mricron/templates/ch2.nii.gz";

    private HttpClient Client => factory.CreateClient(ExplainApiFactory.InferKey);

    private async Task<string> TruncatedDetailAsync(byte[] bytes, string mediaType)
    {
        var response = await Client.PostAsync("/v1/images/inspect", TestImages.Content(bytes, mediaType));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.ImageTruncated);
        return problem.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task A_jpeg_whose_header_claims_4096_square_but_carries_112_square_is_422()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(112, 112, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(90, 90, 90));
        using var encoded = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Jpeg, 90);
        var jpeg = encoded.ToArray();
        var sof = jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), 4096);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 4096);

        var detail = await TruncatedDetailAsync(jpeg, "image/jpeg");

        Assert.StartsWith("The JPEG's image data is truncated: its header declares 4096 x 4096 (262144 blocks of 8 x 8)", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_png_cut_before_iend_is_422()
    {
        var png = TestImages.Gradient8(64, 64);

        Assert.Equal("The PNG is truncated (it ends before IEND).", await TruncatedDetailAsync(png[..^12], "image/png"));
    }

    [Fact]
    public async Task The_colin27_mri_without_its_gzip_trailer_is_422()
    {
        var gz = await File.ReadAllBytesAsync(Colin);

        var detail = await TruncatedDetailAsync(gz[..^8], "application/gzip");

        Assert.StartsWith("The gzip stream ends before its trailer (CRC-32 and size)", detail, StringComparison.Ordinal);
    }
}
