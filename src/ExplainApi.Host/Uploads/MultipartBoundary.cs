using Microsoft.Net.Http.Headers;

namespace ExplainApi.Host.Uploads;

/// <summary>The boundary of a multipart Content-Type, checked against RFC 2046 §5.1.1 before a byte of the body is read.</summary>
public static class MultipartBoundary
{
    public const int MaxLength = 70;

    public const string Rule = "The multipart boundary must be 1 to 70 characters (letters, digits, space and '()+_,-./:=?), not ending in a space (RFC 2046).";

    public static bool TryGet(MediaTypeHeaderValue mediaType, out string boundary)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value ?? "";
        return IsValid(boundary);
    }

    // bchars := bcharsnospace / " "; boundary := 0*69<bchars> bcharsnospace
    public static bool IsValid(string boundary) =>
        boundary.Length is >= 1 and <= MaxLength && boundary[^1] != ' ' && boundary.All(IsBoundaryChar);

    private static bool IsBoundaryChar(char c) => char.IsAsciiLetterOrDigit(c) || "'()+_,-./:=? ".Contains(c, StringComparison.Ordinal);
}
