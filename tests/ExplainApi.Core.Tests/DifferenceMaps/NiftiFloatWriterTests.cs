using ExplainApi.Core.Imaging;
using ExplainApi.Core.Imaging.Nifti;

namespace ExplainApi.Core.Tests.DifferenceMaps;

public sealed class NiftiFloatWriterTests
{
    [Fact]
    public void A_written_map_reads_back_through_our_decoder_value_for_value()
    {
        var map = Enumerable.Range(0, 5 * 4).Select(i => (i * 0.37f) - 3.1f).ToArray();

        var image = new NiftiDecoder().Decode(NiftiFloatWriter.Write(map, width: 5, height: 4, pixelSpacing: 0.5f), DecodeOptions.Default, ImageLimits.Default);

        Assert.Equal((1, 4, 5), (image.Channels, image.Height, image.Width));
        Assert.Equal(map, image.Data);
        Assert.Equal(32, image.Source.BitsStored);
    }

    [Fact]
    public void Each_plane_of_a_volume_is_a_slice()
    {
        var volume = Enumerable.Range(0, 3 * 2 * 4).Select(i => (float)i).ToArray();
        var bytes = NiftiFloatWriter.Write(volume, width: 3, height: 2, depth: 4);

        for (var z = 0; z < 4; z++)
        {
            var slice = new NiftiDecoder().Decode(bytes, new DecodeOptions { Slice = z }, ImageLimits.Default);
            Assert.Equal(volume[(z * 6)..((z + 1) * 6)], slice.Data);
        }

        Assert.Throws<ArgumentException>(() => NiftiFloatWriter.Write(volume, 3, 2, 3));
    }
}
