using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Errors;

/// <summary>
/// Writes the problem document when the default writer declines because the client's Accept names no JSON (e.g. a
/// client of the saliency route asking for image/png): an error is still RFC 9457 application/problem+json, with
/// the same customisation (trace id, instance), rather than a bare body without them.
/// </summary>
public sealed class ProblemJsonFallbackWriter(IOptions<ProblemDetailsOptions> options, IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var response = context.HttpContext.Response;
        return new ValueTask(response.WriteAsJsonAsync(context.ProblemDetails, json.Value.SerializerOptions, "application/problem+json"));
    }
}
