using ExplainApi.Core.Imaging;
using ExplainApi.Core.Imaging.Nifti;

namespace ExplainApi.Core.Tests.Nifti;

/// <summary>
/// Lying headers and gzip bombs are rejected before memory proportional to the claim is allocated, and
/// nothing past the bytes the header accounts for is ever inflated. Allocation is measured on the test
/// thread, which runs the whole (synchronous) decode.
/// </summary>
public sealed class NiftiLimitsTests
{
    private const int Megabyte = 1 << 20;

    // 1 MiB of zeros as one gzip member; concatenated members (RFC 1952 2.2) make a 200 MB bomb of ~1 MB.
    private static readonly Lazy<byte[]> ZeroMember = new(() => NiftiWriter.Gzip(new byte[Megabyte]));
    private readonly NiftiDecoder _decoder = new();

    [Fact]
    public void A_header_claiming_2000_cubed_voxels_is_too_large_before_any_allocation()
    {
        var nii = new NiftiWriter { Dim = [3, 2000, 2000, 2000, 1, 1, 1, 1] }.ToNii();

        var (error, allocated) = DecodeFailure(nii, ImageLimits.Default);

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
        Assert.Contains("8000000000 voxels", error.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    [Fact]
    public void A_slice_larger_than_the_dimension_limits_is_too_large()
    {
        var nii = new NiftiWriter { Dim = [3, 2000, 2000, 2000, 1, 1, 1, 1] }.ToNiiGz();

        var (error, _) = DecodeFailure(nii, new ImageLimits { MaxWidth = 512, MaxHeight = 512 });

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
        Assert.Contains("2000x2000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_header_claiming_100_cubed_int16_over_10_bytes_is_truncated_without_allocating_the_claim(bool gzip)
    {
        var writer = new NiftiWriter { Dim = [3, 100, 100, 100, 1, 1, 1, 1], DataType = 4, Voxels = new byte[10] };

        var (error, allocated) = DecodeFailure(gzip ? writer.ToNiiGz() : writer.ToNii(), ImageLimits.Default);

        Assert.Equal(ImageDecodeError.Truncated, error.Error);
        Assert.Contains("needs 2000352", error.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 256 * 1024); // the claim is 2 MB
    }

    [Fact]
    public void A_gzip_bomb_behind_a_large_header_is_too_large_without_inflating_it()
    {
        // 1000x1000x200 UINT8 is under MaxVoxels, but its 200 MB file exceeds MaxBytes (64 MiB).
        var header = new NiftiWriter { Dim = [3, 1000, 1000, 200, 1, 1, 1, 1] }.ToNiiGz();
        var bomb = Bomb(header, zeroMegabytes: 200);

        var (error, allocated) = DecodeFailure(bomb, ImageLimits.Default);

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
        Assert.Contains("200000352 bytes uncompressed", error.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 256 * 1024);
    }

    [Fact]
    public void A_gzip_bomb_after_a_small_image_is_never_inflated()
    {
        // 200 MB of zeros follow the image, then bytes that are not deflate at all: reading past the
        // image's last byte would fail, so success proves the decoder stopped there.
        var image = new NiftiWriter { Dim = [2, 3, 2, 1, 1, 1, 1, 1], Voxels = [1, 2, 3, 4, 5, 6] }.ToNiiGz();
        var bomb = Bomb(image, zeroMegabytes: 200, trailingGarbage: true);

        _decoder.Decode(bomb, DecodeOptions.Default, ImageLimits.Default);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var decoded = _decoder.Decode(bomb, DecodeOptions.Default, ImageLimits.Default);

        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], decoded.Data);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256 * 1024);
    }

    [Fact]
    public void A_bomb_whose_header_fits_small_limits_inflates_at_most_the_limit()
    {
        // 1000x1000x4 UINT8 needs 4 000 352 bytes <= MaxBytes; the stream offers 200 MB of zeros after the header.
        var header = new NiftiWriter { Dim = [3, 1000, 1000, 4, 1, 1, 1, 1] }.ToNiiGz();
        var bomb = Bomb(header, zeroMegabytes: 200, trailingGarbage: true);

        var image = _decoder.Decode(bomb, DecodeOptions.Default, new ImageLimits { MaxBytes = 4 * Megabyte });

        Assert.Equal((1000, 1000, 2), (image.Width, image.Height, image.Source.Slice));
        Assert.Equal((0f, 0f), (image.Data.Min(), image.Data.Max()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_truncated_after_the_chosen_slice_is_still_truncated(bool gzip)
    {
        // dim 2x2x3 UINT8 needs 12 voxel bytes; only slice 0's 4 are present.
        var writer = new NiftiWriter { Dim = [3, 2, 2, 3, 1, 1, 1, 1], Voxels = [1, 2, 3, 4] };

        var error = Assert.Throws<ImageDecodeException>(() =>
            _decoder.Decode(gzip ? writer.ToNiiGz() : writer.ToNii(), new DecodeOptions { Slice = 0 }, ImageLimits.Default));

        Assert.Equal(ImageDecodeError.Truncated, error.Error);
        Assert.Equal("NIfTI data ends after 356 bytes, but the header needs 364 (vox_offset 352 + 12 voxels (dim) x 1 bytes (bitpix 8)).", error.Message);
    }

    [Fact]
    public void A_truncated_gzip_stream_is_truncated_and_a_corrupt_one_malformed()
    {
        var nii = new NiftiWriter { Dim = [3, 64, 64, 8, 1, 1, 1, 1], Voxels = [.. Enumerable.Range(0, 64 * 64 * 8).Select(i => (byte)(i * 7))] };
        var gz = nii.ToNiiGz();
        // A deflate block whose first byte is 0xFF declares the reserved block type 3 (RFC 1951 3.2.3).
        byte[] corrupt = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, .. new byte[400]];

        var truncated = DecodeFailure(gz[..(gz.Length / 2)], ImageLimits.Default).Error;
        var invalid = DecodeFailure(corrupt, ImageLimits.Default).Error;

        Assert.Equal(ImageDecodeError.Truncated, truncated.Error);
        Assert.Contains("NIfTI data ends after", truncated.Message, StringComparison.Ordinal);
        Assert.Equal(ImageDecodeError.Malformed, invalid.Error);
        Assert.Contains("gzip stream is corrupt", invalid.Message, StringComparison.Ordinal);
    }

    private static byte[] Bomb(byte[] firstMember, int zeroMegabytes, bool trailingGarbage = false)
    {
        var zeros = ZeroMember.Value;
        var bomb = new List<byte>(firstMember.Length + (zeros.Length * zeroMegabytes) + 16);
        bomb.AddRange(firstMember);
        for (var i = 0; i < zeroMegabytes; i++)
        {
            bomb.AddRange(zeros);
        }

        if (trailingGarbage)
        {
            bomb.AddRange((byte[])[0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF]);
        }

        return [.. bomb];
    }

    private (ImageDecodeException Error, long Allocated) DecodeFailure(byte[] data, ImageLimits limits)
    {
        // The first call pays one-off costs (type loading, resource strings); the second is measured.
        Assert.Throws<ImageDecodeException>(() => _decoder.Decode(data, DecodeOptions.Default, limits));
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            _decoder.Decode(data, DecodeOptions.Default, limits);
        }
        catch (ImageDecodeException error)
        {
            return (error, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        throw new Xunit.Sdk.XunitException("Expected an ImageDecodeException.");
    }
}
