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
    public const string JobFailed = Prefix + "job-failed";
    public const string JobNotFound = Prefix + "job-not-found";
    public const string JobFinished = Prefix + "job-finished";
    public const string JobNotFinished = Prefix + "job-not-finished";
    public const string QueueFull = Prefix + "queue-full";
    public const string IdempotencyConflict = Prefix + "idempotency-conflict";
    public const string ValidationFailed = Prefix + "validation-failed";
    public const string DatasetUnsuitable = Prefix + "dataset-unsuitable";
    public const string DatasetArchiveInvalid = Prefix + "dataset-archive-invalid";
    public const string DatasetArchiveTooLarge = Prefix + "dataset-archive-too-large";
    public const string DatasetArchiveUnusable = Prefix + "dataset-archive-unusable";
    public const string DatasetNotFound = Prefix + "dataset-not-found";
    public const string InsufficientStorage = Prefix + "insufficient-storage";
    public const string DatasetQuotaExceeded = Prefix + "dataset-quota-exceeded";
    public const string ImageTruncated = Prefix + "image-truncated";
    public const string ExplanationTooCostly = Prefix + "explanation-too-costly";
    public const string ExplanationDeadlineExceeded = Prefix + "explanation-deadline-exceeded";
    public const string DecodeBusy = Prefix + "decode-busy";
    public const string RequestTooLarge = Prefix + "request-too-large";
    public const string ServerBusy = Prefix + "server-busy";
    public const string ModelTaskMismatch = Prefix + "model-task-mismatch";
    public const string DirectionUnknown = Prefix + "direction-unknown";
    public const string LinkedModelUnusable = Prefix + "linked-model-unusable";
    public const string SegmentationInputInvalid = Prefix + "segmentation-input-invalid";
    public const string RefinementTooCostly = Prefix + "refinement-too-costly";
    public const string SegmentationStagesUnavailable = Prefix + "segmentation-stages-unavailable";
}
