using ExplainApi.Core.Imaging;
using ExplainApi.Core.Segmentation;
using ExplainApi.Host.Logging;
using Microsoft.AspNetCore.Connections;
using ExplainApi.Core.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;

namespace ExplainApi.Host.Errors;

/// <summary>
/// The one place exceptions become HTTP answers. Client mistakes that surface as exceptions (a decode
/// failure deep in a decoder, a body over Kestrel's limit, a body cut short by a dropped connection)
/// become 4xx; an unavailable store becomes 503 with Retry-After; a full disk on any route becomes 507; anything
/// else is a 500 whose detail is hidden outside Development. Exception messages are never logged: they can carry
/// client text (a multipart boundary, a file name); the type, a failure kind and the stack trace are enough.
/// </summary>
public sealed class ProblemExceptionHandler(
    IProblemDetailsService problems,
    IHostEnvironment environment,
    ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(exception, httpContext);
        if (problem.Status == StatusCodes.Status507InsufficientStorage)
        {
            // A kind, not the message: the message carries paths that include client-chosen model names.
            logger.LogWarning("The data volume is full ({ExceptionType}); answered 507", exception.GetType().Name);
        }
        else if (problem.Status >= 500)
        {
            logger.LogError("Unhandled {ExceptionType} ({FailureKind}) answered with {StatusCode} at {StackTrace}",
                exception.GetType().FullName, FailureKinds.Of(exception), problem.Status, exception.StackTrace);
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = environment.IsDevelopment() ? exception : null,
        });
    }

    private ProblemDetails Map(Exception exception, HttpContext httpContext) => exception switch
    {
        // Before the other cases: a full disk can surface through any of them.
        _ when StorageFull.Is(exception) => StorageProblems.InsufficientStorage(exception),
        ImageDecodeException decode => ImageProblems.From(decode),
        // A subclass of ArgumentException, which is otherwise a programming error: this one is the client's.
        CrfInputException crf => Segmentation.SegmentationProblems.InvalidInput(Echo.Message(crf.Message)),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "Request body too large",
            Detail = "The request body is larger than this route accepts.",
            Type = ProblemTypes.RequestTooLarge,
        },
        // Kestrel's own verdicts on a body (cut short, bad chunking), and a body read failing because the client went away.
        BadHttpRequestException or ConnectionResetException => ClientBodyUnreadable(),
        IOException when httpContext.RequestAborted.IsCancellationRequested => ClientBodyUnreadable(),
        SqliteException => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Store unavailable",
            Detail = "The service's store cannot be reached right now; retry later.",
            Type = ProblemTypes.StoreUnavailable,
        },
        OutOfMemoryException or InsufficientMemoryException => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Server busy",
            Detail = "The service is short of memory right now; retry later.",
            Type = ProblemTypes.ServerBusy,
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "Internal error",
            Detail = environment.IsDevelopment() ? exception.Message : "An unexpected error occurred; quote the traceId when reporting it.",
            Type = ProblemTypes.Internal,
        },
    };

    private static ProblemDetails ClientBodyUnreadable() => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "Bad request",
        Detail = "The request body could not be read to its end (cut short, malformed framing, or the connection dropped); send it again.",
        Type = ProblemTypes.InvalidRequest,
    };
}
