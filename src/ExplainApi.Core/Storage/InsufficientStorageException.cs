namespace ExplainApi.Core.Storage;

/// <summary>
/// Refused before writing: what a request would store does not fit in the free space beyond the configured
/// reserve. The disk-full kind of failure (<see cref="StorageFull.Is"/>), raised before any byte is written.
/// </summary>
public sealed class InsufficientStorageException : IOException
{
    public InsufficientStorageException(long requiredBytes, long availableBytes)
        : base($"Storing this needs {requiredBytes} bytes; {availableBytes} bytes are free beyond the reserve.")
    {
        RequiredBytes = requiredBytes;
        AvailableBytes = availableBytes;
    }

    public InsufficientStorageException()
    {
    }

    public InsufficientStorageException(string message) : base(message)
    {
    }

    public InsufficientStorageException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public long RequiredBytes { get; }

    /// <summary>Free bytes beyond the reserve when the request was refused (never negative).</summary>
    public long AvailableBytes { get; }
}
