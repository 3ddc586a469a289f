using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// A dataset imported from an archive (<see cref="ZipDatasetImporter"/>), read from its folder. Each
/// <see cref="Get"/> opens the pixel file, reads one sample at its offset and closes it: positional
/// reads share no state, so concurrent calls are safe, and no handle outlives a call (this type needs
/// no disposal, and a deleted dataset's space is freed as soon as running reads finish).
/// </summary>
public sealed class UploadedDataset : IDataset
{
    private readonly string _pixelsPath;
    private readonly string _masksPath;

    private UploadedDataset(string directory, DatasetIndex index)
    {
        Index = index;
        _pixelsPath = Path.Combine(directory, DatasetIndex.PixelsFileName);
        _masksPath = Path.Combine(directory, DatasetIndex.MasksFileName);
    }

    /// <exception cref="InvalidDataException">The folder does not hold a complete, consistent dataset.</exception>
    public static UploadedDataset Open(string directory)
    {
        var dataset = new UploadedDataset(directory, DatasetIndex.Load(directory));
        CheckLength(dataset._pixelsPath, dataset.Index.Count * dataset.Index.SampleValues * sizeof(float));
        if (dataset.Index.HasMasks)
        {
            CheckLength(dataset._masksPath, (long)dataset.Index.Count * dataset.Index.Height * dataset.Index.Width);
        }

        return dataset;
    }

    public DatasetIndex Index { get; }
    public string Reference => Index.Id;
    public IReadOnlyList<string> ClassNames => Index.ClassNames;
    public int Channels => Index.Channels;
    public int Height => Index.Height;
    public int Width => Index.Width;
    public int Count => Index.Count;
    public InputNormalization Normalization => Index.Normalization;
    public bool HasMasks => Index.HasMasks;

    public int LabelOf(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {Count} samples.");
        }

        return Index.Labels[index];
    }

    public Sample Get(int index)
    {
        var label = LabelOf(index);
        var pixels = new float[Index.SampleValues];
        ReadAt(_pixelsPath, index * Index.SampleValues * sizeof(float), MemoryMarshal.AsBytes(pixels.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<float, int>(pixels.AsSpan());
            BinaryPrimitives.ReverseEndianness(words, words);
        }

        float[]? mask = null;
        if (HasMasks)
        {
            var bytes = new byte[Height * Width];
            ReadAt(_masksPath, (long)index * bytes.Length, bytes);
            mask = Array.ConvertAll(bytes, b => (float)b);
        }

        return new Sample(pixels, label, mask);
    }

    private static void ReadAt(string path, long offset, Span<byte> destination)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        while (destination.Length > 0)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw new InvalidDataException($"{Path.GetFileName(path)} ends before offset {offset}.");
            }

            destination = destination[read..];
            offset += read;
        }
    }

    private static void CheckLength(string path, long expected)
    {
        var actual = new FileInfo(path) is { Exists: true } info ? info.Length : -1;
        if (actual != expected)
        {
            throw new InvalidDataException(actual < 0
                ? $"{Path.GetFileName(path)} is missing."
                : $"{Path.GetFileName(path)} is {actual} bytes; the index needs {expected}.");
        }
    }
}
