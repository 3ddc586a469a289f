using ExplainApi.Core.Imaging;

namespace ExplainApi.Dicom.Tests;

/// <summary>
/// Seeded byte-level damage to every kind of file: each decode must either succeed with the right shape
/// or throw <see cref="ImageDecodeException"/>. A native crash or assertion would take the test host down.
/// </summary>
[Collection(DicomFilesCollection.Name)]
public sealed class RobustnessTests(DicomFiles files)
{
    [Theory]
    [InlineData("gray8")]
    [InlineData("signed16-bigendian")]
    [InlineData("gray8-jpeg-baseline")]
    [InlineData("rgb-jpeg-baseline")]
    [InlineData("signed16-jpeg-sv1")]
    [InlineData("gray8-jpegls")]
    [InlineData("signed16-j2k")]
    [InlineData("frames-j2k")]
    [InlineData("rgb-rle")]
    public void Damaged_files_decode_or_throw_a_decode_exception(string file)
    {
        var original = files.Bytes(file);
        var decoder = new GdcmDicomDecoder();
        var fragment = file.Contains('-', StringComparison.Ordinal) && !file.EndsWith("bigendian", StringComparison.Ordinal)
            ? CorruptFiles.FirstFragment(original) : (Offset: 132, Length: original.Length - 132);
        for (var seed = 0; seed < 150; seed++)
        {
            var random = new Random(seed);
            var damaged = (byte[])original.Clone();
            switch (seed % 4)
            {
                case 0: // a few random bytes anywhere after the preamble
                    for (var i = 0; i < 1 + random.Next(8); i++)
                    {
                        damaged[random.Next(132, damaged.Length)] = (byte)random.Next(256);
                    }

                    break;
                case 1: // the codestream header (the first 200 bytes of the first fragment)
                    for (var i = 0; i < 1 + random.Next(4); i++)
                    {
                        damaged[fragment.Offset + random.Next(Math.Min(200, fragment.Length))] = (byte)random.Next(256);
                    }

                    break;
                case 2: // truncated anywhere
                    damaged = damaged[..random.Next(132, damaged.Length)];
                    break;
                default: // a codestream cut short that still ends with an end marker, so it reaches the codec
                    damaged = fragment.Offset == 132 ? damaged
                        : CorruptFiles.WithFirstFragment(damaged, f => [.. f[..random.Next(2, f.Length)], 0xFF, 0xD9]);
                    break;
            }

            try
            {
                var image = decoder.Decode(damaged, DecodeOptions.Default, ImageLimits.Default);
                Assert.Equal((SyntheticImages.Height, SyntheticImages.Width), (image.Height, image.Width));
            }
            catch (ImageDecodeException)
            {
                // Expected for most damage.
            }
        }
    }

    [Fact]
    public void Concurrent_decodes_give_the_same_results_as_sequential_ones()
    {
        string[] names = ["gray8-j2k", "signed16-jpegls", "rgb-jpeg-baseline", "frames-rle", "gray8-jpeg-sv1", "rgb-ybr-full"];
        var decoder = new GdcmDicomDecoder();
        var inputs = names.Select(files.Bytes).ToArray();
        var expected = inputs.Select(b => decoder.Decode(b, DecodeOptions.Default, ImageLimits.Default).Data).ToArray();

        var results = new float[names.Length * 8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results[i] = decoder.Decode(inputs[i % names.Length], DecodeOptions.Default, ImageLimits.Default).Data);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % names.Length], results[i]);
        }
    }
}
