namespace ExplainApi.Core.Imaging.Nifti;

/// <summary>
/// Decodes one 2D slice of a single-file NIfTI-1 image (.nii, or .nii.gz inflated as a stream).
/// <para>
/// The slice is taken along the third axis (dim[3], default the middle one) of volume
/// <see cref="DecodeOptions.Volume"/> along dim[4] (default 0); dims 5..7 are read at index 0. Voxels
/// keep their stored order: row j is the index along dim 2 and column i the index along dim 1
/// (Height = dim[2], Width = dim[1]). No reorientation (qform/sform, radiological or neurological
/// convention) is done here; callers that need a canonical orientation must apply it.
/// </para>
/// <para>
/// Only the 348-byte header is read before the limits are checked; then only the bytes the header
/// accounts for (vox_offset + dim product x bitpix/8) are inflated, and only the chosen slice is kept.
/// </para>
/// </summary>
public sealed class NiftiDecoder : IImageDecoder
{
    public ImageFormat Format => ImageFormat.Nifti;

    public ImageTensor Decode(ReadOnlyMemory<byte> data, DecodeOptions options, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        limits.CheckBytes(data.Length);

        using var stream = new NiftiByteStream(data);
        var headerBytes = new byte[NiftiHeader.Size];
        var header = NiftiHeader.Parse(headerBytes.AsSpan(0, stream.ReadAtMost(headerBytes)));

        limits.CheckDimensions(header.Width, header.Height);
        limits.CheckVoxels(header.VoxelCount);
        if (!stream.IsGzip && data.Length < header.DataEnd)
        {
            throw new ImageDecodeException(ImageDecodeError.Truncated, header.TruncatedMessage(data.Length));
        }

        // For a .nii.gz this bounds how much is ever inflated: the uncompressed file the header describes.
        if (header.DataEnd > limits.MaxBytes)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge,
                $"The NIfTI file is {header.DataEnd} bytes uncompressed (vox_offset + dim x bitpix/8); the limit is {limits.MaxBytes}.");
        }

        var (slice, volume) = ChooseSlice(header, options);
        var sliceBytes = ReadSlice(stream, header, slice, volume);

        var planes = NiftiVoxelReader.ToPlanes(sliceBytes, header);
        var rgb = header.DataType.Channels == 3;
        var window = rgb ? new IntensityWindow(0, 255) : PercentileWindow.Compute(planes);
        var source = new ImageSourceInfo(
            ImageFormat.Nifti,
            header.DataType.BitPix,
            rgb ? "RGB" : "MONOCHROME2",
            RescaleSlope: header.Slope,
            RescaleIntercept: header.Intercept,
            Slice: slice,
            SliceCount: header.SliceCount,
            PixelSpacing: PixelSpacing(header));
        return new ImageTensor(header.DataType.Channels, header.Height, header.Width, planes, window, source);
    }

    private static (int Slice, int Volume) ChooseSlice(NiftiHeader header, DecodeOptions options)
    {
        var slice = options.Slice ?? (header.SliceCount / 2);
        if (slice < 0 || slice >= header.SliceCount)
        {
            throw new ImageDecodeException(ImageDecodeError.NoImage,
                $"Slice {slice} does not exist: the image has {header.SliceCount} slice(s) along dim[3] (0..{header.SliceCount - 1}).");
        }

        var volume = options.Volume ?? 0;
        if (volume < 0 || volume >= header.VolumeCount)
        {
            throw new ImageDecodeException(ImageDecodeError.NoImage,
                $"Volume {volume} does not exist: the image has {header.VolumeCount} volume(s) along dim[4] (0..{header.VolumeCount - 1}).");
        }

        return (slice, volume);
    }

    private static byte[] ReadSlice(NiftiByteStream stream, NiftiHeader header, int slice, int volume)
    {
        // The slice buffer is allocated only once the stream has reached the slice, so a truncated file
        // costs at most the scratch buffer before it is rejected.
        if (!stream.SkipTo(header.SliceOffset(slice, volume)))
        {
            throw new ImageDecodeException(ImageDecodeError.Truncated, header.TruncatedMessage(stream.Position));
        }

        var bytes = new byte[header.SliceVoxels * header.DataType.BytesPerVoxel];
        if (stream.ReadAtMost(bytes) < bytes.Length)
        {
            throw new ImageDecodeException(ImageDecodeError.Truncated, header.TruncatedMessage(stream.Position));
        }

        // A truncated .nii.gz is as truncated as a .nii, whichever slice was asked for, trailer included.
        if (stream.IsGzip && !stream.SkipTo(header.DataEnd))
        {
            throw new ImageDecodeException(ImageDecodeError.Truncated, header.TruncatedMessage(stream.Position));
        }

        stream.VerifyGzipEnd();

        return bytes;
    }

    /// <summary>[pixdim[1], pixdim[2]] (nifti1.h: "voxel width along dimension #i", units in xyzt_units), when both are positive and finite.</summary>
    private static double[]? PixelSpacing(NiftiHeader header)
    {
        var (dx, dy) = (header.PixDim[1], header.PixDim[2]);
        return float.IsFinite(dx) && float.IsFinite(dy) && dx > 0 && dy > 0 ? [dx, dy] : null;
    }
}
