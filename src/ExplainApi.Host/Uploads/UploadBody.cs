namespace ExplainApi.Host.Uploads;

/// <summary>How reading a client's body ended.</summary>
public enum BodyReadOutcome
{
    Complete,
    TooLarge,
    Malformed,
}

/// <summary>
/// Bounded reads of a client's body, raw or one multipart section. Failures of the client's stream (a
/// truncated or dropped body, broken framing) are told apart from our own failures (a full disk while
/// spooling), which must not be blamed on the client; the limit is counted here, never inferred from a message.
/// </summary>
public static class UploadBody
{
    public const string IncompleteDetail = "The request body ended before its declared length or could not be read; send it again.";

    private const int ChunkBytes = 81920;

    /// <summary>Copies at most <paramref name="limit"/> bytes of the client's body.</summary>
    public static async Task<BodyReadOutcome> CopyAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken)
    {
        try
        {
            return await CopyOrThrowAsync(source, destination, limit, cancellationToken) is null ? BodyReadOutcome.TooLarge : BodyReadOutcome.Complete;
        }
        catch (ClientBodyException exception)
        {
            return exception.TooLarge ? BodyReadOutcome.TooLarge : BodyReadOutcome.Malformed;
        }
    }

    /// <summary>The number of bytes copied, or null when the source holds more than <paramref name="limit"/>.</summary>
    /// <exception cref="ClientBodyException">The client's stream failed.</exception>
    internal static async Task<long?> CopyOrThrowAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken)
    {
        var chunk = new byte[ChunkBytes];
        long total = 0;
        int read;
        while ((read = await FromClientAsync(() => source.ReadAsync(chunk, cancellationToken).AsTask())) > 0)
        {
            total += read;
            if (total > limit)
            {
                return null;
            }

            await destination.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        return total;
    }

    /// <summary>Runs one read of the client's body, turning its stream's failures into <see cref="ClientBodyException"/>.</summary>
    internal static async Task<T> FromClientAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (BadHttpRequestException exception)
        {
            throw new ClientBodyException(exception.StatusCode == StatusCodes.Status413PayloadTooLarge, exception);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException)
        {
            // IOException: the body ended early or the connection dropped; InvalidDataException: broken multipart framing.
            throw new ClientBodyException(tooLarge: false, exception);
        }
    }
}

/// <summary>The client's body could not be read (its own fault); carries no text of its own.</summary>
internal sealed class ClientBodyException(bool tooLarge, Exception inner) : Exception(null, inner)
{
    public bool TooLarge => tooLarge;
}
