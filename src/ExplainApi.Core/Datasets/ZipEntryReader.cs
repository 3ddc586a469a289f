using System.IO.Compression;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// Inflates entries without trusting their headers: at most the declared size is read and every byte
/// counts against one budget for the upload. A header that understates the size is caught twice: a
/// byte beyond the declared size (refused as a bomb), and, because .NET 10's entry stream silently stops
/// at the declared size, a CRC-32 over the bytes read that differs from the header's (APPNOTE 4.4.7).
/// Not thread-safe: one per import.
/// </summary>
public sealed class ZipEntryReader(long budgetBytes)
{
    private readonly long _budget = budgetBytes;
    private long _remaining = budgetBytes;

    /// <summary>The entry's bytes, or null with a reason when this one entry cannot be opened (unsupported method, encrypted).</summary>
    /// <exception cref="DatasetImportException">The data is corrupt, inflates past its declared size, or past the budget.</exception>
    public byte[]? Read(ZipArchiveEntry entry, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var name = ArchivePaths.Printable(entry.FullName);
        var declared = entry.Length;
        if (declared > _remaining)
        {
            throw new DatasetImportException(DatasetImportError.TooLarge,
                $"Reading '{name}' would inflate more than the {_budget} bytes allowed for this upload.");
        }

        Stream stream;
        try
        {
            stream = entry.Open();
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException)
        {
            reason = "Cannot be extracted: " + exception.Message;
            return null;
        }

        var data = new byte[declared];
        using (stream)
        {
            var total = 0;
            try
            {
                int read;
                while (total < data.Length && (read = stream.Read(data, total, data.Length - total)) > 0)
                {
                    total += read;
                }
            }
            catch (InvalidDataException exception)
            {
                throw new DatasetImportException(DatasetImportError.Malformed, $"Entry '{name}' is corrupt: {exception.Message}", exception);
            }

            if (total < declared)
            {
                throw new DatasetImportException(DatasetImportError.Malformed,
                    $"Entry '{name}' inflates to {total} bytes, fewer than the {declared} its header declares; the archive is corrupt.");
            }

            if (InflatesFurther(stream, name))
            {
                throw new DatasetImportException(DatasetImportError.TooLarge,
                    $"Entry '{name}' inflates to more than the {declared} bytes its header declares; refused as a zip bomb.");
            }
        }

        if (Crc32.Compute(data) != entry.Crc32)
        {
            throw new DatasetImportException(DatasetImportError.Malformed,
                $"Entry '{name}' does not match its header: the CRC-32 of the {declared} bytes it declares is wrong, so its size or data was altered.");
        }

        _remaining -= declared;
        reason = null;
        return data;
    }

    // The read past the declared end also lets the runtime check the entry's CRC-32.
    private static bool InflatesFurther(Stream stream, string name)
    {
        Span<byte> probe = stackalloc byte[1];
        try
        {
            return stream.Read(probe) > 0;
        }
        catch (InvalidDataException exception)
        {
            throw new DatasetImportException(DatasetImportError.Malformed, $"Entry '{name}' is corrupt: {exception.Message}", exception);
        }
    }
}
