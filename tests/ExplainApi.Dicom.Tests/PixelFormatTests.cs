using ExplainApi.Core.Imaging;

namespace ExplainApi.Dicom.Tests;

[Collection(DicomFilesCollection.Name)]
public sealed class PixelFormatTests(DicomFiles files)
{
    [Fact]
    public void Rescale_slope_and_intercept_give_modality_units()
    {
        var image = files.Decode("ct");

        Assert.Equal([.. Expected.Signed16.Select(v => (v * 2) - 100)], image.Data);
        Assert.Equal((2.0, -100.0), (image.Source.RescaleSlope, image.Source.RescaleIntercept));
        Assert.Equal("CT", image.Source.Modality);
        Assert.Equal([0.5, 0.75], image.Source.PixelSpacing!);
        Assert.Equal(new IntensityWindow((Expected.Signed16.Min() * 2) - 100, 5900), image.Window);
    }

    [Fact]
    public void Window_center_and_width_come_from_their_first_values()
    {
        var image = files.Decode("windowed");

        Assert.Equal(IntensityWindow.FromCenterWidth(100, 200), image.Window);
        Assert.Equal(Expected.Gray8, image.Data);
    }

    [Fact]
    public void Without_window_attributes_the_window_spans_the_data()
    {
        var image = files.Decode("gray8");

        Assert.Equal(new IntensityWindow(Expected.Gray8.Min(), Expected.Gray8.Max()), image.Window);
        Assert.Equal(250, image.Window.High);
        Assert.False(image.Window.Invert);
    }

    [Fact]
    public void Monochrome1_inverts_the_window_and_keeps_the_values()
    {
        var image = files.Decode("monochrome1");

        Assert.True(image.Window.Invert);
        Assert.Equal("MONOCHROME1", image.Source.Photometric);
        Assert.Equal(Expected.Gray8, image.Data);
        var darkest = Array.IndexOf(image.Data, image.Data.Min());
        Assert.Equal(1f, image.ToNormalized()[darkest]);
    }

    [Fact]
    public void Bits_above_bits_stored_are_masked_off()
    {
        var image = files.Decode("unsigned12");

        Assert.Equal([.. DicomFiles.Unsigned12Stored.Select(v => (float)(v & 0xFFF))], image.Data);
        Assert.Equal(12, image.Source.BitsStored);
    }

    [Fact]
    public void Signed_values_are_sign_extended_from_bits_stored()
    {
        var image = files.Decode("signed12");

        float Signed12(ushort v) => (v & 0x800) != 0 ? (v & 0xFFF) - 4096 : v & 0xFFF;
        Assert.Equal([.. DicomFiles.Signed12Stored.Select(Signed12)], image.Data);
        Assert.Equal(-2048, image.Data.Min());
    }

    [Fact]
    public void Stored_bits_below_the_high_bit_are_shifted_down()
    {
        // Bits Stored 5, High Bit 7: the sample is bits 3..7 of each byte (PS3.5 8.1.1). GDCM asserts on
        // 8-bit data with fewer stored bits, so this also shows it is handed the data as 8 of 8.
        var image = files.Decode("high-bits");

        Assert.Equal([.. SyntheticImages.Gray8().Select(v => (float)(v >> 3))], image.Data);
        Assert.Equal(5, image.Source.BitsStored);
    }

    [Fact]
    public void Thirty_two_bit_samples_are_read()
    {
        var image = files.Decode("unsigned32");

        Assert.Equal([.. DicomFiles.Unsigned32.Select(v => (float)v)], image.Data);
    }

    [Fact]
    public void Palette_colour_is_unsupported()
    {
        var error = Assert.Throws<ImageDecodeException>(() => files.Decode("palette"));

        Assert.Equal(ImageDecodeError.Unsupported, error.Error);
    }

    [Fact]
    public void A_jpeg_2000_colour_transform_outside_jpeg_2000_is_malformed()
    {
        // GDCM asserts on YBR_ICT with anything but a JPEG 2000 codestream.
        var error = Assert.Throws<ImageDecodeException>(() => files.Decode("rle-ybr-ict"));

        Assert.Equal(ImageDecodeError.Malformed, error.Error);
    }

    [Fact]
    public void Bits_allocated_other_than_8_16_or_32_is_unsupported()
    {
        var error = Assert.Throws<ImageDecodeException>(() => files.Decode("bits-allocated-12"));

        Assert.Equal(ImageDecodeError.Unsupported, error.Error);
    }

    [Fact]
    public void Patient_attributes_appear_nowhere_in_the_result()
    {
        var image = files.Decode("with-patient");
        var corrupt = files.Bytes("with-patient");
        corrupt[^20] ^= 0xFF;
        corrupt[^40] ^= 0xFF;
        var message = Record.Exception(() => new GdcmDicomDecoder().Decode(corrupt, DecodeOptions.Default, ImageLimits.Default))?.Message ?? "";

        foreach (var secret in new[] { "Doe", "Jane", "8675309", "19700101" })
        {
            Assert.DoesNotContain(secret, image.Source.ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, message, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(Expected.Gray8, image.Data);
    }
}
