using ExplainApi.Core.Imaging;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;

namespace ExplainApi.Host.Errors;

/// <summary>
/// The one place exceptions become HTTP answers. Client mistakes that surface as exceptions (a decode
/// failure deep in a decoder, a body over Kestrel's limit) become 4xx; an unavailable store becomes 503
/// with Retry-After; anything else is a 500 whose detail is hidden outside Development.
/// </summary>
public sealed class ProblemExceptionHandler(
    IProblemDetailsService problems,
    IHostEnvironment environment,
    ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(exception);
        if (problem.Status >= 500)
        {
            // The exception message is logged (for operators), never the request body or path.
            logger.LogError(exception, "Unhandled {ExceptionType} answered with {StatusCode}", exception.GetType().Name, problem.Status);
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

    private ProblemDetails Map(Exception exception) => exception switch
    {
        ImageDecodeException decode => ImageProblems.From(decode),
        BadHttpRequestException bad => new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
            Detail = bad.Message,
            Type = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? ProblemTypes.ImageTooLarge : ProblemTypes.InvalidRequest,
        },
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
}
