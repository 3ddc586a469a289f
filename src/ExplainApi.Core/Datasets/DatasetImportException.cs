namespace ExplainApi.Core.Datasets;

/// <summary>Why a whole upload was refused; the host maps each kind to one HTTP status.</summary>
public enum DatasetImportError
{
    /// <summary>Not a zip, a path that escapes the archive, a link, a duplicate name, corrupt data, a bad labels.csv (400).</summary>
    Malformed,

    /// <summary>Over a size, count or compression-ratio limit, or an entry inflating past its declared size (413).</summary>
    TooLarge,

    /// <summary>A well-formed archive that cannot make a dataset: no readable image, one class, only nested archives (422).</summary>
    Unusable,

    /// <summary>The dataset would take the uploaded datasets together past their configured total (413, its own type).</summary>
    QuotaExceeded,
}

/// <summary>
/// A problem with the archive as a whole. Problems with single files (an image that does not decode)
/// are not exceptions: those files are listed as rejected with their reason and the rest is imported.
/// </summary>
public sealed class DatasetImportException : Exception
{
    public DatasetImportException(DatasetImportError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    public DatasetImportException()
    {
    }

    public DatasetImportException(string message) : base(message)
    {
    }

    public DatasetImportException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public DatasetImportError Error { get; }
}
