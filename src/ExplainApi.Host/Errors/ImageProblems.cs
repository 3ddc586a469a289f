using ExplainApi.Core.Imaging;
using Microsoft.AspNetCore.Mvc;

namespace ExplainApi.Host.Errors;

/// <summary>How each decode failure is answered: the decoder's message is the detail, it names the field or limit.</summary>
public static class ImageProblems
{
    public static ProblemDetails From(ImageDecodeException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var (status, title, type) = exception.Error switch
        {
            ImageDecodeError.TooLarge => (StatusCodes.Status413PayloadTooLarge, "Image too large", ProblemTypes.ImageTooLarge),
            ImageDecodeError.Unsupported => (StatusCodes.Status422UnprocessableEntity, "Image variant not supported", ProblemTypes.ImageUnsupported),
            ImageDecodeError.Truncated => (StatusCodes.Status422UnprocessableEntity, "Image data truncated", ProblemTypes.ImageTruncated),
            ImageDecodeError.NoImage => (StatusCodes.Status422UnprocessableEntity, "No image to decode", ProblemTypes.ImageNoPixels),
            _ => (StatusCodes.Status400BadRequest, "Image could not be decoded", ProblemTypes.ImageMalformed),
        };
        return new ProblemDetails { Status = status, Title = title, Detail = Echo.Message(exception.Message), Type = type };
    }
}
