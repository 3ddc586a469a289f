using System.Buffers.Binary;
using System.Text;
using ExplainApi.Core.Imaging;

namespace ExplainApi.Dicom.Tests;

[Collection(DicomFilesCollection.Name)]
public sealed class MalformedInputTests(DicomFiles files)
{
    private static readonly GdcmDicomDecoder Decoder = new();

    [Fact]
    public void Random_bytes_after_a_DICM_preamble_are_malformed()
    {
        var random = new Random(7);
        var bytes = new byte[4096];
        random.NextBytes(bytes);
        Array.Clear(bytes, 0, 128);
        "DICM"u8.CopyTo(bytes.AsSpan(128));

        Assert.Equal(ImageDecodeError.Malformed, Error(bytes));
    }

    [Fact]
    public void Bytes_that_are_not_dicom_part_10_are_malformed()
    {
        Assert.Equal(ImageDecodeError.Malformed, Error([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]));
        Assert.Equal(ImageDecodeError.Malformed, Error([]));
    }

    [Theory]
    [InlineData("gray8")]
    [InlineData("gray8-bigendian")]
    [InlineData("gray8-jpegls")]
    [InlineData("gray8-j2k")]
    [InlineData("gray8-jpeg-baseline")]
    [InlineData("rgb-rle")]
    [InlineData("frames-j2k")]
    public void A_file_cut_in_the_middle_of_its_pixel_data_is_malformed(string file)
    {
        var bytes = files.Bytes(file);
        var start = bytes.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0xE0, 0x7F, 0x10, 0x00]) is >= 0 and var le ? le
            : bytes.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0x7F, 0xE0, 0x00, 0x10]);
        var cut = bytes[..(start + ((bytes.Length - start) / 2))];

        Assert.Equal(ImageDecodeError.Malformed, Error(cut));
    }

    [Fact]
    public void A_jpeg_ls_stream_with_flipped_bytes_is_malformed()
    {
        // The header and the end marker are intact, so this reaches CharLS, which must refuse it.
        var corrupt = CorruptFiles.WithFirstFragment(files.Bytes("gray8-jpegls"), f => CorruptFiles.Flip(f, f.Length / 3, f.Length - 4, 5));

        var error = Assert.Throws<ImageDecodeException>(() => Decoder.Decode(corrupt, DecodeOptions.Default, ImageLimits.Default));
        Assert.Equal(ImageDecodeError.Malformed, error.Error);
        Assert.Contains("could not be decoded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jpeg_2000_stream_whose_size_disagrees_with_the_header_is_malformed()
    {
        // Ysiz (SIZ bytes 10..13) grown to 15 million rows: GDCM 3.0 corrupts its heap on this one.
        var corrupt = CorruptFiles.WithFirstFragment(files.Bytes("signed16-j2k"), f => { f[14] = 0xEA; return f; });

        Assert.Equal(ImageDecodeError.Malformed, Error(corrupt));
    }

    [Fact]
    public void A_jpeg_2000_stream_with_a_corrupt_main_header_is_malformed()
    {
        // Everything between SIZ and the end marker (COD, QCD, tiles) is inverted; OpenJPEG must refuse it.
        var corrupt = CorruptFiles.WithFirstFragment(files.Bytes("gray8-j2k"), f => CorruptFiles.Flip(f, 45, f.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]), 1));

        var error = Assert.Throws<ImageDecodeException>(() => Decoder.Decode(corrupt, DecodeOptions.Default, ImageLimits.Default));
        Assert.Equal(ImageDecodeError.Malformed, error.Error);
        Assert.Contains("could not be decoded", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gray8-j2k")]
    [InlineData("gray8-jpegls")]
    [InlineData("gray8-jpeg-sv1")]
    public void A_codestream_cut_short_inside_a_well_formed_file_is_malformed(string file)
    {
        var cut = CorruptFiles.WithFirstFragment(files.Bytes(file), f => f[..(f.Length / 2)]);

        Assert.Equal(ImageDecodeError.Malformed, Error(cut));
    }

    [Fact]
    public void A_stray_byte_in_a_jpeg_header_is_malformed()
    {
        // IJG warns about "extraneous bytes before marker", on which GDCM's JPEG codec aborts the process.
        var corrupt = CorruptFiles.WithFirstFragment(files.Bytes("gray8-jpeg-baseline"), f => [.. f[..2], 0x42, .. f[2..]]);

        Assert.Equal(ImageDecodeError.Malformed, Error(corrupt));
    }

    [Fact]
    public void An_element_length_beyond_the_end_of_the_file_is_malformed_without_allocating_it()
    {
        // A private OB element claiming 2 GB, inserted before SOP Class UID (0008,0016).
        var bytes = files.Bytes("gray8");
        var at = bytes.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x08, 0x00, 0x16, 0x00, (byte)'U', (byte)'I']);
        byte[] huge = [0x09, 0x00, 0x10, 0x10, (byte)'O', (byte)'B', 0, 0, 0xF0, 0xFF, 0xFF, 0x7F];
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(ImageDecodeError.Malformed, Error([.. bytes[..at], .. huge, .. bytes[at..]]));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
    }

    [Fact]
    public void Sequences_nested_too_deeply_are_malformed()
    {
        // 40 levels of (0040,A730) SQ of undefined length, each holding one item of undefined length.
        var bytes = files.Bytes("gray8");
        var at = bytes.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x08, 0x00, 0x16, 0x00, (byte)'U', (byte)'I']);
        byte[] open = [0x40, 0x00, 0x30, 0xA7, (byte)'S', (byte)'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF];
        byte[] close = [0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0, 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0];
        var nested = Enumerable.Repeat(open, 40).SelectMany(b => b).Concat(Enumerable.Repeat(close, 40).SelectMany(b => b));

        Assert.Equal(ImageDecodeError.Malformed, Error([.. bytes[..at], .. nested, .. bytes[at..]]));
    }

    [Fact]
    public void An_object_without_pixel_data_has_no_image()
    {
        Assert.Equal(ImageDecodeError.NoImage, Error(files.Bytes("no-pixel-data")));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void A_frame_that_does_not_exist_is_no_image(int frame)
    {
        var error = Assert.Throws<ImageDecodeException>(() => files.Decode("frames-rle", new DecodeOptions { Frame = frame }));

        Assert.Equal(ImageDecodeError.NoImage, error.Error);
        Assert.Equal(ImageDecodeError.NoImage, Assert.Throws<ImageDecodeException>(() => files.Decode("gray8", new DecodeOptions { Frame = 1 })).Error);
    }

    [Fact]
    public void Rows_or_columns_above_the_limits_are_too_large()
    {
        var error = Assert.Throws<ImageDecodeException>(() => files.Decode("gray8-j2k", limits: new ImageLimits { MaxWidth = 32 }));

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
    }

    [Fact]
    public void Huge_dimensions_are_too_large_before_the_short_pixel_data_is_looked_at()
    {
        // 60000 x 60000 with 3 KB of pixel data: any look at the pixels would say Malformed.
        Assert.Equal(ImageDecodeError.TooLarge, Error(files.Bytes("huge-dimensions")));
    }

    [Fact]
    public void Frames_times_pixels_above_the_voxel_limit_are_too_large()
    {
        var limits = new ImageLimits { MaxVoxels = 2 * SyntheticImages.Pixels };

        Assert.Equal(ImageDecodeError.TooLarge, Assert.Throws<ImageDecodeException>(() => files.Decode("frames", limits: limits)).Error);
        Assert.Equal(SyntheticImages.Height, files.Decode("gray8", limits: limits).Height);
    }

    [Fact]
    public void Bytes_above_the_byte_limit_are_too_large()
    {
        var error = Assert.Throws<ImageDecodeException>(() => files.Decode("gray8", limits: new ImageLimits { MaxBytes = 1000 }));

        Assert.Equal(ImageDecodeError.TooLarge, error.Error);
    }

    [Fact]
    public void An_unknown_transfer_syntax_is_unsupported()
    {
        var bytes = files.Bytes("gray8");
        var uid = Encoding.ASCII.GetBytes("1.2.840.10008.1.2.1\0");
        var at = bytes.AsSpan().IndexOf(uid);
        Encoding.ASCII.GetBytes("1.2.840.99999.1.2.1\0").CopyTo(bytes, at);

        Assert.Equal(ImageDecodeError.Unsupported, Error(bytes));
    }

    [Fact]
    public void Float_pixel_data_is_unsupported()
    {
        var bytes = files.Bytes("gray8");
        var at = bytes.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0xE0, 0x7F, 0x10, 0x00]);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 2), 0x0008);

        Assert.Equal(ImageDecodeError.Unsupported, Error(bytes));
    }

    private static ImageDecodeError Error(byte[] bytes) =>
        Assert.Throws<ImageDecodeException>(() => Decoder.Decode(bytes, DecodeOptions.Default, ImageLimits.Default)).Error;
}
