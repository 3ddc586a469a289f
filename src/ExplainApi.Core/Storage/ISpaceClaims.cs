namespace ExplainApi.Core.Storage;

/// <summary>Where a writer claims the bytes it is about to store, before it stores them.</summary>
public interface ISpaceClaims
{
    /// <summary>Holds <paramref name="bytes"/> until the result is disposed.</summary>
    /// <exception cref="InsufficientStorageException">They do not fit on the volume beyond its reserve.</exception>
    IDisposable Claim(long bytes);
}
