using System.Globalization;
using System.Threading.RateLimiting;
using ExplainApi.Core.Imaging;
using ExplainApi.Host.Admission;
using ExplainApi.Host.Configuration;
using ExplainApi.Host.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Imaging;

/// <summary>
/// Admission by decoded pixels: a <see cref="WeightedAdmission"/> of <see cref="ImageLimitsOptions.MaxDecodingPixelsInFlight"/>
/// that each image takes for its header's width × height until its request's response is written (or the request
/// ends any other way). Decoding runs inside a synchronous decoder, so it never waits: an image that does not fit
/// is refused at once, 503 decode-busy with Retry-After.
/// </summary>
public sealed class DecodeAdmission(IOptions<ImageLimitsOptions> options) : IDisposable
{
    public const int RetryAfterSeconds = 1;

    private readonly WeightedAdmission pixels = new((int)options.Value.MaxDecodingPixelsInFlight, queueLimit: 0);

    /// <summary>Pixels held by requests now.</summary>
    public int InUse => pixels.InUse;

    /// <summary>
    /// The <see cref="Core.Imaging.ImageLimits.Admit"/> hook of one request: reserves, or throws
    /// <see cref="DecodeBusyException"/> (busy now) or <see cref="ImageDecodeException"/> (413: the request's images
    /// together exceed the capacity, so retrying would never help).
    /// </summary>
    public Action<long> ReserveFor(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var requested = 0L;
        return count =>
        {
            requested += count;
            if (requested > pixels.Capacity)
            {
                throw new ImageDecodeException(ImageDecodeError.TooLarge,
                    $"The images of this request have {requested} pixels together; at most {pixels.Capacity} are decoded at once.");
            }

            var lease = TryEnter(count);
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                throw new DecodeBusyException();
            }

            http.Response.RegisterForDispose(lease);
        };
    }

    /// <summary><paramref name="count"/> pixels now, or a lease that is not acquired; dispose it to give them back.</summary>
    public RateLimitLease TryEnter(long count) => pixels.TryEnter(count);

    public ProblemHttpResult Busy(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            title: "Decoding busy", statusCode: StatusCodes.Status503ServiceUnavailable, type: ProblemTypes.DecodeBusy,
            detail: $"Images being decoded and rendered already hold {InUse} of {pixels.Capacity} pixels; retry after {RetryAfterSeconds} s.");
    }

    public void Dispose() => pixels.Dispose();
}

/// <summary>An image's pixels do not fit in <see cref="DecodeAdmission"/> now.</summary>
public sealed class DecodeBusyException() : Exception("The decoding capacity is in use.");
