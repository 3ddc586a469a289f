using ExplainApi.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Errors;

/// <summary>
/// 507 Insufficient Storage (RFC 4918 §11.5): the server cannot store what the request asks it to keep. Not 503: the
/// service works, only this write does not fit; retrying helps once space is freed. Nothing was kept.
/// </summary>
public static class StorageProblems
{
    public static ProblemDetails InsufficientStorage(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var needed = exception is InsufficientStorageException { RequiredBytes: > 0 } refused ? $" (it needs {refused.RequiredBytes} bytes)" : "";
        return new ProblemDetails
        {
            Status = StatusCodes.Status507InsufficientStorage,
            Title = "Insufficient storage",
            Detail = $"The server has no room to store this{needed}; nothing was kept. Retry once space is freed.",
            Type = ProblemTypes.InsufficientStorage,
        };
    }

    public static ProblemHttpResult Result(Exception exception) => TypedResults.Problem(InsufficientStorage(exception));
}
