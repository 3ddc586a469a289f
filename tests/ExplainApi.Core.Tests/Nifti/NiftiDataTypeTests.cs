using System.Buffers.Binary;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Imaging.Nifti;

namespace ExplainApi.Core.Tests.Nifti;

public sealed class NiftiDataTypeTests
{
    private static readonly short[] Dim2D = [2, 3, 2, 1, 1, 1, 1, 1];
    private readonly NiftiDecoder _decoder = new();

    public static TheoryData<short, bool> GreyTypes()
    {
        var data = new TheoryData<short, bool>();
        foreach (short code in new short[] { 2, 256, 4, 512, 8, 768, 1024, 1280, 16, 64 })
        {
            data.Add(code, false);
            data.Add(code, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GreyTypes))]
    public void Every_grey_datatype_decodes_exactly_in_both_byte_orders(short dataType, bool bigEndian)
    {
        var writer = new NiftiWriter { Dim = Dim2D, DataType = dataType, BigEndian = bigEndian };
        var (bytes, expected) = Sample(writer, dataType);

        var image = _decoder.Decode((writer with { Voxels = bytes }).ToNii(), DecodeOptions.Default, ImageLimits.Default);

        Assert.Equal((1, 2, 3), (image.Channels, image.Height, image.Width));
        Assert.Equal(expected, image.Data);
        Assert.Equal(NiftiWriter.BitPixOf(dataType), image.Source.BitsStored);
        Assert.Equal((0, 1), (image.Source.Slice, image.Source.SliceCount));
        Assert.Equal([0.5, 0.75], image.Source.PixelSpacing!);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scl_slope_and_scl_inter_scale_the_stored_values(bool bigEndian)
    {
        var writer = new NiftiWriter { Dim = Dim2D, DataType = 4, SclSlope = 0.5f, SclInter = -10, BigEndian = bigEndian };
        short[] raw = [-4, 0, 1, 3, 100, short.MaxValue];
        var nii = writer with { Voxels = writer.Encode(raw, 2, BinaryPrimitives.WriteInt16LittleEndian) };

        var image = _decoder.Decode(nii.ToNiiGz(), DecodeOptions.Default, ImageLimits.Default);

        Assert.Equal([-12f, -10f, -9.5f, -8.5f, 40f, 16373.5f], image.Data);
        Assert.Equal((0.5, -10.0), (image.Source.RescaleSlope, image.Source.RescaleIntercept));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_zero_or_non_finite_scl_slope_means_no_scaling(float slope)
    {
        var nii = new NiftiWriter { Dim = Dim2D, SclSlope = slope, SclInter = 5, Voxels = [1, 2, 3, 4, 5, 6] };

        var image = _decoder.Decode(nii.ToNii(), DecodeOptions.Default, ImageLimits.Default);

        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], image.Data);
        Assert.Equal((1.0, 0.0), (image.Source.RescaleSlope, image.Source.RescaleIntercept));
    }

    [Fact]
    public void Rgb24_gives_three_planes_a_0_to_255_window_and_ignores_scaling()
    {
        var nii = new NiftiWriter { Dim = [2, 2, 1, 1, 1, 1, 1, 1], DataType = 128, SclSlope = 2, Voxels = [10, 20, 30, 40, 50, 60] };

        var image = _decoder.Decode(nii.ToNiiGz(), DecodeOptions.Default, ImageLimits.Default);

        Assert.Equal((3, 1, 2), (image.Channels, image.Height, image.Width));
        Assert.Equal([10f, 40f, 20f, 50f, 30f, 60f], image.Data);
        Assert.Equal(new IntensityWindow(0, 255), image.Window);
        Assert.Equal(("RGB", 24, 1.0), (image.Source.Photometric, image.Source.BitsStored, image.Source.RescaleSlope));
    }

    [Fact]
    public void A_4d_image_returns_the_chosen_slice_of_the_chosen_volume()
    {
        // dim 2x2x3x2: voxel (i, j, k, t) stores i + 2j + 4k + 12t.
        var nii = new NiftiWriter { Dim = [4, 2, 2, 3, 2, 1, 1, 1], Voxels = [.. Enumerable.Range(0, 24).Select(v => (byte)v)] };

        var byDefault = _decoder.Decode(nii.ToNii(), DecodeOptions.Default, ImageLimits.Default);
        var chosen = _decoder.Decode(nii.ToNiiGz(), new DecodeOptions { Slice = 2, Volume = 1 }, ImageLimits.Default);

        Assert.Equal([4f, 5f, 6f, 7f], byDefault.Data);
        Assert.Equal((1, 3), (byDefault.Source.Slice, byDefault.Source.SliceCount));
        Assert.Equal([20f, 21f, 22f, 23f], chosen.Data);
        Assert.Equal(2, chosen.Source.Slice);
    }

    [Fact]
    public void Data_after_header_extensions_starts_at_vox_offset()
    {
        var nii = new NiftiWriter { Dim = Dim2D, VoxOffset = 368, Voxels = [1, 2, 3, 4, 5, 6] };

        var image = _decoder.Decode(nii.ToNii(), DecodeOptions.Default, ImageLimits.Default);

        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], image.Data);
    }

    [Fact]
    public void Grey_window_spans_the_half_percent_percentiles_of_finite_values()
    {
        float[] values = [.. Enumerable.Range(0, 200).Select(v => (float)v), float.NaN, float.PositiveInfinity];
        var writer = new NiftiWriter { Dim = [2, 202, 1, 1, 1, 1, 1, 1], DataType = 16 };
        var nii = writer with { Voxels = writer.Encode(values, 4, BinaryPrimitives.WriteSingleLittleEndian) };

        var image = _decoder.Decode(nii.ToNii(), DecodeOptions.Default, ImageLimits.Default);

        // Linear interpolation: 0.005 x 199 = 0.995 and 0.995 x 199 = 198.005.
        Assert.Equal(0.995, image.Window.Low, 1e-9);
        Assert.Equal(198.005, image.Window.High, 1e-9);
        Assert.True(float.IsNaN(image.Data[200]));
    }

    [Fact]
    public void A_constant_slice_falls_back_to_the_range_window()
    {
        var nii = new NiftiWriter { Dim = Dim2D, Voxels = [7, 7, 7, 7, 7, 7] };

        var image = _decoder.Decode(nii.ToNii(), DecodeOptions.Default, ImageLimits.Default);

        Assert.Equal(new IntensityWindow(7, 8), image.Window);
    }

    private static (byte[] Bytes, float[] Expected) Sample(NiftiWriter w, short dataType) => dataType switch
    {
        2 => Of<byte>(w, [0, 1, 127, 128, 254, 255], 1, (d, v) => d[0] = v, v => v),
        256 => Of<sbyte>(w, [-128, -1, 0, 1, 64, 127], 1, (d, v) => d[0] = (byte)v, v => v),
        4 => Of<short>(w, [short.MinValue, -1, 0, 1, 1000, short.MaxValue], 2, BinaryPrimitives.WriteInt16LittleEndian, v => v),
        512 => Of<ushort>(w, [0, 1, 1000, 32768, 65534, ushort.MaxValue], 2, BinaryPrimitives.WriteUInt16LittleEndian, v => v),
        8 => Of<int>(w, [int.MinValue, -1, 0, 1, 16_777_216, int.MaxValue], 4, BinaryPrimitives.WriteInt32LittleEndian, v => v),
        768 => Of<uint>(w, [0, 1, 65_536, 16_777_216, 3_000_000_000, uint.MaxValue], 4, BinaryPrimitives.WriteUInt32LittleEndian, v => v),
        1024 => Of<long>(w, [long.MinValue, -1, 0, 1, 1L << 40, long.MaxValue], 8, BinaryPrimitives.WriteInt64LittleEndian, v => v),
        1280 => Of<ulong>(w, [0, 1, 1UL << 32, 1UL << 40, 1UL << 63, ulong.MaxValue], 8, BinaryPrimitives.WriteUInt64LittleEndian, v => v),
        16 => Of<float>(w, [-1.5f, -0f, 3.25f, float.MaxValue, 1e-30f, float.MinValue], 4, BinaryPrimitives.WriteSingleLittleEndian, v => v),
        64 => Of<double>(w, [-1.5, 0, 3.25, 1e10, 1e-300, -123456.789], 8, BinaryPrimitives.WriteDoubleLittleEndian, v => v),
        _ => throw new ArgumentOutOfRangeException(nameof(dataType)),
    };

    private static (byte[], float[]) Of<T>(NiftiWriter w, T[] values, int size, WriteVoxel<T> write, Func<T, double> value) =>
        (w.Encode(values, size, write), [.. values.Select(v => (float)value(v))]);
}
