using System.Buffers.Binary;

namespace ExplainApi.Dicom;

/// <summary>
/// Turns one decoded frame into planar float32 CHW values in modality units.
/// </summary>
internal static class DicomPixelConverter
{
    public static float[] ToPlanes(DecodedFrame frame, PixelLayout layout, double slope, double intercept)
    {
        var samples = frame.Samples.Span;
        var pixels = layout.Rows * layout.Columns;
        var channels = layout.SamplesPerPixel;
        var result = new float[channels * pixels];

        // PS3.5 8.1.1: the stored bits are [HighBit - BitsStored + 1, HighBit] of each allocated word;
        // anything else (overlay bits, garbage) is masked off, and signed values are two's complement
        // in BitsStored bits.
        var lowBit = layout.HighBit - layout.BitsStored + 1;
        var mask = (1UL << layout.BitsStored) - 1;
        var signBit = 1UL << (layout.BitsStored - 1);
        var bytes = layout.BytesPerSample;
        var planar = frame.PlanarConfiguration == 1;
        for (var c = 0; c < channels; c++)
        {
            var plane = result.AsSpan(c * pixels, pixels);
            for (var p = 0; p < pixels; p++)
            {
                // PS3.3 C.7.6.3.1.3: colour-by-pixel (R1 G1 B1 R2 ...) or colour-by-plane (R1 R2 ... G1 ...).
                var index = planar ? (c * pixels) + p : (p * channels) + c;
                ulong raw = bytes switch
                {
                    1 => samples[index],
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(samples[(index * 2)..]),
                    _ => BinaryPrimitives.ReadUInt32LittleEndian(samples[(index * 4)..]),
                };
                var value = (raw >> lowBit) & mask;
                var number = layout.Signed && (value & signBit) != 0 ? (double)(long)value - (double)(1L << layout.BitsStored) : value;
                plane[p] = (float)((number * slope) + intercept);
            }
        }

        if (channels == 3 && frame.Photometric.StartsWith("YBR_FULL", StringComparison.Ordinal))
        {
            YbrFullToRgb(result, pixels);
        }

        return result;
    }

    // PS3.3 C.7.6.3.1.2, YBR_FULL: the inverse of the ITU-R BT.601 full-range transform given there
    // (R = Y + 1.402 (Cr - 128), and so on). GDCM upsamples YBR_FULL_422 to full resolution first.
    private static void YbrFullToRgb(float[] chw, int pixels)
    {
        for (var p = 0; p < pixels; p++)
        {
            double y = chw[p], cb = chw[pixels + p] - 128.0, cr = chw[(2 * pixels) + p] - 128.0;
            chw[p] = (float)Math.Clamp(y + (1.402 * cr), 0, 255);
            chw[pixels + p] = (float)Math.Clamp(y - (0.344136 * cb) - (0.714136 * cr), 0, 255);
            chw[(2 * pixels) + p] = (float)Math.Clamp(y + (1.772 * cb), 0, 255);
        }
    }
}
