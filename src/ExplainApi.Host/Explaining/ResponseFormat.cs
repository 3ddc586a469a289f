namespace ExplainApi.Host.Explaining;

/// <summary>What the client's Accept header asks of the saliency route: JSON (the default) or one PNG.</summary>
public enum ResponseFormat
{
    Json,
    Png,
}

public static class ResponseFormats
{
    public static readonly string[] Offered = ["application/json", "image/png"];

    /// <summary>The acceptable format of highest quality (JSON on a tie or no header), or null when none is acceptable.</summary>
    public static ResponseFormat? Negotiate(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return ResponseFormat.Json;
        }

        ResponseFormat? best = null;
        var quality = 0.0;
        foreach (var range in accept.OrderByDescending(a => a.Quality ?? 1.0))
        {
            var q = range.Quality ?? 1.0;
            ResponseFormat? format = range.MediaType.Value?.ToLowerInvariant() switch
            {
                "application/json" or "application/*" or "*/*" => ResponseFormat.Json,
                "image/png" or "image/*" => ResponseFormat.Png,
                _ => null,
            };
            if (format is not null && q > 0 && (best is null || q > quality))
            {
                (best, quality) = (format, q);
            }
        }

        return best;
    }
}
