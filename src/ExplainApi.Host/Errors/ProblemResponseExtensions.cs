using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Errors;

public static class ProblemResponseExtensions
{
    private const int MaxDetailLength = 2048;
    private const int MaxValidationErrors = 32;

    /// <summary>
    /// RFC 9457 problem details for every error: one customisation adds the trace id, one exception
    /// handler maps exceptions, and status-code pages turn bare 404/405s into problem documents.
    /// </summary>
    public static IHostApplicationBuilder AddProblemResponses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var http = context.HttpContext;
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
            context.ProblemDetails.Instance ??= $"{http.Request.Method} {http.Request.Path}";
            OwnTypeForBareStatus(context.ProblemDetails);
            CapEchoes(context.ProblemDetails);

            // Never leak exception details outside Development, whatever produced the problem.
            if (context.ProblemDetails.Status >= 500 && !http.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment())
            {
                context.ProblemDetails.Extensions.Remove("exception");
            }
        });
        // After the default writer (registered by AddProblemDetails), which it only backs up.
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallbackWriter>();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        return builder;
    }

    /// <summary>The net under <see cref="Echo"/>: whatever produced the problem, client text in it stays bounded.</summary>
    private static void CapEchoes(ProblemDetails problem)
    {
        problem.Detail = problem.Detail is null ? null : Echo.Cap(problem.Detail, MaxDetailLength);
        problem.Instance = Echo.Cap(problem.Instance, Echo.MaxValueLength + 16);
        if (problem is HttpValidationProblemDetails validation && validation.Errors.Count > 0)
        {
            var errors = validation.Errors.Take(MaxValidationErrors).ToList();
            validation.Errors.Clear();
            foreach (var (key, messages) in errors)
            {
                validation.Errors[Echo.Value(key)] = [.. messages.Take(MaxValidationErrors).Select(Echo.Message)];
            }
        }
    }

    /// <summary>
    /// A status the framework answered on its own (a body that fails JSON binding, a body over the route's cap while it is
    /// bound) carries the RFC's generic type: give it ours, so clients switch on one set of types whatever produced it.
    /// </summary>
    private static void OwnTypeForBareStatus(Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        if (problem.Type?.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal) != true)
        {
            return;
        }

        (problem.Type, problem.Detail) = problem.Status switch
        {
            StatusCodes.Status400BadRequest => (ProblemTypes.InvalidRequest, problem.Detail ?? "The request does not fit this route (its body is not the JSON it takes, or a parameter is malformed)."),
            StatusCodes.Status413PayloadTooLarge => (ProblemTypes.RequestTooLarge, problem.Detail ?? "The request body is larger than this route accepts."),
            StatusCodes.Status415UnsupportedMediaType => (ProblemTypes.UnsupportedMediaType, problem.Detail ?? "This route does not take that media type."),
            _ => (problem.Type, problem.Detail),
        };
    }

    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Writes a problem document through the registered service (so the customisation applies).</summary>
    public static ValueTask WriteProblemAsync(this HttpContext context, int status, string title, string detail, string type)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Type = type },
        });
    }
}
