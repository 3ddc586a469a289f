using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text.Json;
using ExplainApi.Core.Models;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Imaging;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ExplainApi.Host.Models;

/// <summary>A KServe request read and checked: its images (C×H×W floats each), the input's name, the outputs asked for and small parts.</summary>
internal sealed record KServeTensorRequest(string? Id, IReadOnlyList<float[]> Images, IReadOnlyDictionary<string, JsonElement>? Parameters, KServeBinaryOutputs Binary,
    string? InputName = null, IReadOnlyList<string>? Outputs = null);

/// <summary>
/// Reads a KServe V2 explain or infer body without binding it: the body limit follows from the model (at most 16 × C×H×W
/// values, each at most <see cref="MaxNumberBytes"/> of JSON text or 4 bytes binary, plus <see cref="HeaderAllowance"/>),
/// Content-Length over it is 413 before a byte is read and a chunked body is cut off there. JSON is parsed as it
/// arrives (<see cref="KServeTensorParser"/>); with <c>Inference-Header-Content-Length</c> (the binary tensor
/// extension) the JSON header is followed by the tensor as raw little-endian FP32.
/// </summary>
internal static class KServeRequestReader
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    /// <summary>Longest number text we accept per value, with its separator ("-1.23456789012345678e-38,").</summary>
    public const int MaxNumberBytes = 24;

    /// <summary>Everything but the data: id, name, shape, datatype, parameters, outputs, whitespace.</summary>
    public const int HeaderAllowance = 64 * 1024;

    public static long LimitFor(ModelInputSpec spec, bool binary) =>
        (ExplainExecution.MaxImagesPerRequest * (long)spec.Channels * spec.Height * spec.Width * (binary ? sizeof(float) : MaxNumberBytes)) + HeaderAllowance;

    public static async Task<(KServeTensorRequest? Request, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, ModelInputSpec spec, CancellationToken cancellationToken)
    {
        var binary = request.Headers.ContainsKey(HeaderLengthHeader);
        if (!binary && !(MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, TypedResults.Problem(title: "Unsupported media type", statusCode: StatusCodes.Status415UnsupportedMediaType, type: ProblemTypes.UnsupportedMediaType,
                detail: $"Send application/json, or the binary tensor extension with the {HeaderLengthHeader} header."));
        }

        var limit = LimitFor(spec, binary);
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        using var parser = new KServeTensorParser(spec, binary);
        try
        {
            var problem = binary ? await ReadBinaryAsync(request, parser, cancellationToken) : await ReadJsonAsync(request.BodyReader, parser, limit, cancellationToken);
            if (problem is not null)
            {
                return (null, problem);
            }
        }
        catch (JsonException exception)
        {
            return (null, ImageUploadReader.Invalid($"The body is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1})."));
        }
        catch (BadHttpRequestException exception)
        {
            return (null, exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge(limit) : ImageUploadReader.Invalid("The request body could not be read."));
        }

        return (new KServeTensorRequest(parser.Id, parser.Images(), parser.Parameters, parser.BinaryOutputs, parser.InputName, parser.RequestedOutputs), null);
    }

    private static async Task<ProblemHttpResult?> ReadJsonAsync(PipeReader body, KServeTensorParser parser, long limit, CancellationToken cancellationToken)
    {
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 16 });
        long consumed = 0;
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (consumed + buffer.Length > limit)
            {
                body.AdvanceTo(buffer.End);
                return TooLarge(limit);
            }

            var reader = new Utf8JsonReader(buffer, result.IsCompleted, state);
            var ok = parser.Feed(ref reader);
            (state, var used) = parser.Resume;
            var pending = buffer.Length - used; // read before AdvanceTo: the sequence is the pipe's until then
            consumed += used;
            body.AdvanceTo(buffer.GetPosition(used), buffer.End);
            if (!ok)
            {
                return parser.Problem;
            }

            // What waits unconsumed is one small value (or a number) not yet complete; bound it.
            if (pending > HeaderAllowance)
            {
                return ImageUploadReader.Invalid($"A value outside the input data is longer than {HeaderAllowance} bytes.");
            }

            if (result.IsCompleted)
            {
                return parser.Finish();
            }
        }
    }

    private static async Task<ProblemHttpResult?> ReadBinaryAsync(HttpRequest request, KServeTensorParser parser, CancellationToken cancellationToken)
    {
        if (!long.TryParse(request.Headers[HeaderLengthHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var headerLength)
            || headerLength < 2 || headerLength > HeaderAllowance)
        {
            return ImageUploadReader.Invalid($"{HeaderLengthHeader} must be the JSON header's length in bytes, from 2 to {HeaderAllowance}.");
        }

        if (request.ContentLength < headerLength)
        {
            return ImageUploadReader.Invalid($"{HeaderLengthHeader} is larger than the body.");
        }

        var body = request.BodyReader;
        var result = await body.ReadAtLeastAsync((int)headerLength, cancellationToken);
        if (result.Buffer.Length < headerLength)
        {
            body.AdvanceTo(result.Buffer.End);
            return ImageUploadReader.Invalid($"The body ends before the {headerLength}-byte JSON header does.");
        }

        var header = result.Buffer.Slice(0, headerLength);
        var reader = new Utf8JsonReader(header, isFinalBlock: true, new JsonReaderState(new JsonReaderOptions { MaxDepth = 16 }));
        var ok = parser.Feed(ref reader);
        body.AdvanceTo(header.End);
        if (!ok || parser.Finish() is not null)
        {
            return parser.Problem;
        }

        return await CopyTensorAsync(body, MemoryMarshal.AsBytes(parser.BinaryTarget()).Length, parser, cancellationToken);
    }

    /// <summary>Copies exactly the declared tensor bytes into the parser's buffer; a shorter or longer body is a 400.</summary>
    private static async Task<ProblemHttpResult?> CopyTensorAsync(PipeReader body, int length, KServeTensorParser parser, CancellationToken cancellationToken)
    {
        var copied = 0;
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var take = (int)Math.Min(buffer.Length, length - copied);
            buffer.Slice(0, take).CopyTo(MemoryMarshal.AsBytes(parser.BinaryTarget())[copied..]);
            copied += take;
            var extra = buffer.Length > take;
            body.AdvanceTo(buffer.GetPosition(take), buffer.End);
            if (extra)
            {
                return ImageUploadReader.Invalid("The body holds more bytes than the header's binary_data_size.");
            }

            if (result.IsCompleted)
            {
                break;
            }
        }

        if (copied < length)
        {
            return ImageUploadReader.Invalid($"The binary tensor is truncated: {copied} of {length} bytes.");
        }

        var values = parser.BinaryTarget();
        if (!BitConverter.IsLittleEndian)
        {
            var raw = MemoryMarshal.Cast<float, int>(values);
            BinaryPrimitives.ReverseEndianness(raw, raw);
        }

        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                return ImageUploadReader.Invalid("The binary tensor holds a value that is not a finite FP32 number.");
            }
        }

        return null;
    }

    private static ProblemHttpResult TooLarge(long limit) => TypedResults.Problem(
        title: "Request body too large", statusCode: StatusCodes.Status413PayloadTooLarge, type: ProblemTypes.RequestTooLarge,
        detail: $"A request for this model is at most {limit} bytes ({ExplainExecution.MaxImagesPerRequest} images of its input shape).");
}
