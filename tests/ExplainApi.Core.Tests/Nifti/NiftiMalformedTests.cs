using ExplainApi.Core.Imaging;
using ExplainApi.Core.Imaging.Nifti;

namespace ExplainApi.Core.Tests.Nifti;

/// <summary>Every header lie or unsupported variant is an <see cref="ImageDecodeException"/> naming the field.</summary>
public sealed class NiftiMalformedTests
{
    private static readonly NiftiWriter Valid = new() { Voxels = new byte[4 * 3 * 2] };
    private readonly NiftiDecoder _decoder = new();

    public static TheoryData<string, int, string> BrokenHeaders() => new()
    {
        { "empty file", 0, "truncated" },
        { "truncated header", 200, "truncated: 200 of 348" },
        { "sizeof_hdr 349", -1, "sizeof_hdr is 349" },
        { "magic abc", -1, "magic is \"abc\\x00\"" },
        { "analyze magic", -1, "magic is \"\\x00\\x00\\x00\\x00\"" },
        { "dim[0] 0", -1, "dim[0] is 0" },
        { "dim[0] 8", -1, "dim[0] is 8" },
        { "dim[2] 0", -1, "dim[2] is 0" },
        { "dim[3] negative", -1, "dim[3] is -5" },
        { "bitpix 8 for INT16", -1, "bitpix is 8, but datatype 4 (INT16) requires 16" },
        { "datatype 3", -1, "datatype 3 is not a NIfTI-1 datatype code" },
        { "vox_offset 348", -1, "vox_offset is 348" },
        { "vox_offset 0", -1, "vox_offset is 0" },
        { "vox_offset NaN", -1, "vox_offset is NaN" },
        { "dims overflow", -1, "overflows" },
    };

    [Theory]
    [MemberData(nameof(BrokenHeaders))]
    public void A_broken_header_is_malformed_with_a_message_naming_the_field(string lie, int length, string message)
    {
        var writer = lie switch
        {
            "sizeof_hdr 349" => Valid with { SizeofHdr = 349 },
            "magic abc" => Valid with { Magic = "abc\0" },
            "analyze magic" => Valid with { Magic = "\0\0\0\0" },
            "dim[0] 0" => Valid with { Dim = [0, 4, 3, 2, 1, 1, 1, 1] },
            "dim[0] 8" => Valid with { Dim = [8, 4, 3, 2, 1, 1, 1, 1] },
            "dim[2] 0" => Valid with { Dim = [3, 4, 0, 2, 1, 1, 1, 1] },
            "dim[3] negative" => Valid with { Dim = [3, 4, 3, -5, 1, 1, 1, 1] },
            "bitpix 8 for INT16" => Valid with { DataType = 4, BitPix = 8 },
            "datatype 3" => Valid with { DataType = 3, BitPix = 8 },
            "vox_offset 348" => Valid with { VoxOffset = 348 },
            "vox_offset 0" => Valid with { VoxOffset = 0 },
            "vox_offset NaN" => Valid with { VoxOffset = float.NaN },
            "dims overflow" => Valid with { Dim = [7, 32767, 32767, 32767, 32767, 32767, 32767, 32767] },
            _ => Valid,
        };
        var nii = writer.ToNii();
        nii = length >= 0 ? nii[..length] : nii;

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(nii, DecodeOptions.Default, ImageLimits.Default));

        Assert.Equal(ImageDecodeError.Malformed, error.Error);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(32, "COMPLEX64")]
    [InlineData(1792, "COMPLEX128")]
    [InlineData(1536, "FLOAT128")]
    [InlineData(1, "BINARY")]
    public void Complex_and_other_exotic_datatypes_are_unsupported(short dataType, string name)
    {
        var nii = Valid with { DataType = dataType };

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(nii.ToNii(), DecodeOptions.Default, ImageLimits.Default));

        Assert.Equal(ImageDecodeError.Unsupported, error.Error);
        Assert.Contains($"datatype {dataType} ({name}) is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ni1_header_of_a_hdr_img_pair_is_unsupported()
    {
        var error = Assert.Throws<ImageDecodeException>(() =>
            _decoder.Decode((Valid with { Magic = "ni1\0" }).ToNii(), DecodeOptions.Default, ImageLimits.Default));

        Assert.Equal(ImageDecodeError.Unsupported, error.Error);
        Assert.Contains(".hdr/.img pair", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_nifti2_header_is_unsupported(bool bigEndian)
    {
        var nifti2 = Valid with { SizeofHdr = 540, BigEndian = bigEndian };

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(nifti2.ToNiiGz(), DecodeOptions.Default, ImageLimits.Default));

        Assert.Equal(ImageDecodeError.Unsupported, error.Error);
        Assert.Contains("NIfTI-2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 2, "Volume 2 does not exist")]
    [InlineData(3, null, "Slice 3 does not exist")]
    [InlineData(-1, null, "Slice -1 does not exist")]
    [InlineData(null, -1, "Volume -1 does not exist")]
    public void A_slice_or_volume_out_of_range_is_no_image(int? slice, int? volume, string message)
    {
        var nii = new NiftiWriter { Dim = [4, 2, 2, 3, 2, 1, 1, 1], Voxels = new byte[24] };

        var error = Assert.Throws<ImageDecodeException>(() =>
            _decoder.Decode(nii.ToNii(), new DecodeOptions { Slice = slice, Volume = volume }, ImageLimits.Default));

        Assert.Equal(ImageDecodeError.NoImage, error.Error);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_2d_image_has_only_slice_0()
    {
        var nii = new NiftiWriter { Dim = [2, 3, 2, 1, 1, 1, 1, 1], Voxels = new byte[6] };

        var image = _decoder.Decode(nii.ToNii(), DecodeOptions.Default, ImageLimits.Default);
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(nii.ToNii(), new DecodeOptions { Slice = 1 }, ImageLimits.Default));

        Assert.Equal((0, 1), (image.Source.Slice, image.Source.SliceCount));
        Assert.Equal(ImageDecodeError.NoImage, error.Error);
    }
}
