namespace ExplainApi.Host.Errors;

/// <summary>
/// The problem "type" URIs this service uses (RFC 9457 §3.1.1). Clients can switch on them; README.md
/// ("Errors") lists each with its status.
/// </summary>
public static class ProblemTypes
{
    private const string Prefix = "urn:explainapi:problem:";

    public const string ImageMalformed = Prefix + "image-malformed";
    public const string ImageTooLarge = Prefix + "image-too-large";
    public const string ImageUnsupported = Prefix + "image-unsupported";
    public const string ImageNoPixels = Prefix + "image-no-pixel-data";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string InvalidRequest = Prefix + "invalid-request";
    public const string Unauthenticated = Prefix + "unauthenticated";
    public const string Forbidden = Prefix + "forbidden";
    public const string RateLimited = Prefix + "rate-limited";
    public const string StoreUnavailable = Prefix + "store-unavailable";
    public const string NotReady = Prefix + "not-ready";
    public const string Internal = Prefix + "internal";
}
