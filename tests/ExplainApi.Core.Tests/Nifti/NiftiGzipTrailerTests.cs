using ExplainApi.Core.Imaging;
using ExplainApi.Core.Imaging.Nifti;

namespace ExplainApi.Core.Tests.Nifti;

/// <summary>
/// A .nii.gz is accepted only when the gzip member holding the image ends with its trailer (RFC 1952
/// 2.3.1: CRC-32, then ISIZE), checked against the inflated bytes, whichever slice was asked for.
/// </summary>
public sealed class NiftiGzipTrailerTests
{
    private static readonly NiftiWriter Volume = new()
    {
        Dim = [3, 32, 32, 6, 1, 1, 1, 1],
        Voxels = [.. Enumerable.Range(0, 32 * 32 * 6).Select(i => (byte)((i * 13) ^ (i >> 5)))],
    };

    private readonly NiftiDecoder _decoder = new();

    private ImageDecodeException Fails(byte[] gz, int slice = 0) =>
        Assert.Throws<ImageDecodeException>(() => _decoder.Decode(gz, new DecodeOptions { Slice = slice }, ImageLimits.Default));

    [Theory]
    [InlineData(1, 0)] // the last byte of ISIZE
    [InlineData(4, 0)] // all of ISIZE
    [InlineData(8, 0)] // the whole trailer
    [InlineData(8, 5)] // the whole trailer, last slice asked for
    public void A_gzip_stream_cut_in_or_before_its_trailer_is_truncated(int cut, int slice)
    {
        var gz = Volume.ToNiiGz();

        var error = Fails(gz[..^cut], slice);

        Assert.Equal(ImageDecodeError.Truncated, error.Error);
        Assert.Equal($"The gzip stream ends before its trailer (CRC-32 and size) after {348 + 4 + (32 * 32 * 6)} uncompressed bytes: the file is truncated.", error.Message);
    }

    [Fact]
    public void A_gzip_stream_cut_inside_its_deflate_data_is_truncated_naming_what_the_header_needs()
    {
        var gz = Volume.ToNiiGz();

        var error = Fails(gz[..^12]);

        Assert.Equal(ImageDecodeError.Truncated, error.Error);
        Assert.StartsWith("NIfTI data ends after ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("but the header needs 6496 (vox_offset 352 + 6144 voxels (dim) x 1 bytes (bitpix 8)).", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8)] // CRC-32
    [InlineData(4)] // ISIZE
    public void A_trailer_that_does_not_match_the_data_is_malformed(int fromEnd)
    {
        var gz = Volume.ToNiiGz();
        gz[^fromEnd] ^= 0x01;

        var error = Fails(gz);

        Assert.Equal(ImageDecodeError.Malformed, error.Error);
        Assert.StartsWith("The gzip stream is corrupt after", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_file_of_several_members_ending_in_an_empty_one_decodes()
    {
        // As BGZF writes it: the file split over members, then an empty end-of-file member.
        var nii = Volume.ToNii();
        byte[] gz = [.. NiftiWriter.Gzip(nii[..1000]), .. NiftiWriter.Gzip(nii[1000..]), .. NiftiWriter.Gzip([])];

        var image = _decoder.Decode(gz, new DecodeOptions { Slice = 5 }, ImageLimits.Default);

        Assert.Equal(Volume.Voxels.AsSpan(5 * 32 * 32, 32 * 32).ToArray().Select(v => (float)v), image.Data);
        Assert.Equal(ImageDecodeError.Truncated, Fails(gz[..^4]).Error); // the empty member cut
    }
}
