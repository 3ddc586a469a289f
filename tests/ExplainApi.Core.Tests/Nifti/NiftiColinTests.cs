using System.IO.Compression;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Imaging.Nifti;

namespace ExplainApi.Core.Tests.Nifti;

/// <summary>
/// The Colin27 single-subject T1 template (mricron-data: ch2.nii.gz): UINT8, dim 3 181x217x181,
/// pixdim 1 mm, vox_offset 352, scl_slope 1. Expected values were read independently from the inflated file.
/// </summary>
public sealed class NiftiColinTests
{
    private const string ColinPath = "/usr/share/mricron/templates/ch2.nii.gz";
    private static readonly Lazy<byte[]> Compressed = new(() => File.ReadAllBytes(ColinPath));
    private static readonly Lazy<byte[]> Uncompressed = new(() => Inflate(Compressed.Value));
    private readonly NiftiDecoder _decoder = new();

    [Fact]
    public void Colin_header_gives_a_181_by_217_axial_slice_at_1_mm_from_181_slices()
    {
        var image = _decoder.Decode(Compressed.Value, DecodeOptions.Default, ImageLimits.Default);

        Assert.Equal((1, 217, 181), (image.Channels, image.Height, image.Width));
        Assert.Equal(ImageFormat.Nifti, image.Source.Format);
        Assert.Equal(8, image.Source.BitsStored);
        Assert.Equal("MONOCHROME2", image.Source.Photometric);
        Assert.Equal((1.0, 0.0), (image.Source.RescaleSlope, image.Source.RescaleIntercept));
        Assert.Equal(181, image.Source.SliceCount);
        Assert.Equal(90, image.Source.Slice);
        Assert.Equal([1.0, 1.0], image.Source.PixelSpacing!);
    }

    [Fact]
    public void Colin_middle_slice_has_brain_signal_and_a_percentile_window()
    {
        var image = _decoder.Decode(Compressed.Value, DecodeOptions.Default, ImageLimits.Default);

        var nonZero = image.Data.Count(v => v > 0) / (double)image.PixelCount;
        Assert.InRange(nonZero, 0.70, 0.75);
        Assert.Equal(171, image.Data.Max());
        Assert.Equal(0, image.Data.Min());
        // Stored order: row j = index along dim 2, column i = index along dim 1 (voxel i=90, j=108, k=90).
        Assert.Equal(33, image.Data[(108 * 181) + 90]);
        // 0.5th and 99.5th percentiles of the slice: background zeros below, a few bright voxels above.
        Assert.Equal(new IntensityWindow(0, 152), image.Window);
    }

    [Fact]
    public void Colin_chosen_slice_is_decoded_with_its_own_window()
    {
        var image = _decoder.Decode(Compressed.Value, new DecodeOptions { Slice = 150 }, ImageLimits.Default);

        Assert.Equal(150, image.Source.Slice);
        Assert.Equal(193, image.Data.Max());
        Assert.Equal(new IntensityWindow(0, 176), image.Window);
        var expected = Uncompressed.Value.AsSpan(352 + (150 * 181 * 217), 181 * 217).ToArray().Select(b => (float)b);
        Assert.Equal(expected, image.Data);
    }

    [Fact]
    public void Colin_uncompressed_nii_decodes_to_the_same_slice_as_the_nii_gz()
    {
        Assert.Equal(352 + (181 * 217 * 181), Uncompressed.Value.Length);

        foreach (var slice in new int?[] { null, 0, 180 })
        {
            var options = new DecodeOptions { Slice = slice };
            var fromGz = _decoder.Decode(Compressed.Value, options, ImageLimits.Default);
            var fromNii = _decoder.Decode(Uncompressed.Value, options, ImageLimits.Default);

            Assert.Equal(fromGz.Data, fromNii.Data);
            Assert.Equal(fromGz.Window, fromNii.Window);
            Assert.Equal(fromGz.Source with { PixelSpacing = null }, fromNii.Source with { PixelSpacing = null });
            Assert.Equal(fromGz.Source.PixelSpacing, fromNii.Source.PixelSpacing);
        }
    }

    [Fact]
    public void Colin_nii_gz_above_the_decompressed_byte_limit_is_too_large()
    {
        // 3.5 MB compressed passes MaxBytes, but the header describes 7.1 MB of uncompressed file.
        var limits = new ImageLimits { MaxBytes = 4_000_000 };

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(Compressed.Value, DecodeOptions.Default, limits));

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
    }

    private static byte[] Inflate(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
