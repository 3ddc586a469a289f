using System.Buffers;
using System.Text.Json;
using ExplainApi.Core.Models;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Imaging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Models;

/// <summary>
/// A token-by-token reader of one KServe V2 request that can be fed a body in pieces (its state survives between
/// <see cref="Feed"/> calls). <c>inputs[0].data</c> goes number by number into a pooled float buffer of the declared
/// shape, never into a DOM; everything else (id, name, shape, datatype, parameters, outputs) is small and parsed as
/// <see cref="JsonElement"/>s, which the caller bounds by how many bytes it lets wait unconsumed.
/// </summary>
internal sealed partial class KServeTensorParser(ModelInputSpec spec, bool binary) : IDisposable
{
    private const int MaxDataDepth = 8;

    private enum At { Start, RootKey, RootValue, Inputs, InputKey, InputValue, Data, End }

    private readonly long perImage = (long)spec.Channels * spec.Height * spec.Width;
    private At at = At.Start;
    private string? key;
    private int depth, inputs, count;
    private float[]? values;
    private bool dataSeen;
    private JsonElement? parameters, outputs;

    public ProblemHttpResult? Problem { get; private set; }

    /// <summary>Where the next <see cref="Feed"/> resumes: the reader state after the last token fully handled.</summary>
    public (JsonReaderState State, long Consumed) Resume { get; private set; }

    public string? Id { get; private set; }
    public IReadOnlyDictionary<string, JsonElement>? Parameters { get; private set; }
    public KServeBinaryOutputs BinaryOutputs { get; private set; } = KServeBinaryOutputs.From(null, null);
    public long[]? Shape { get; private set; }
    public string? Datatype { get; private set; }
    public string? InputName { get; private set; }

    /// <summary>The names listed in <c>outputs</c> (null when the request lists none: every output).</summary>
    public IReadOnlyList<string>? RequestedOutputs { get; private set; }
    public long? BinaryDataSize { get; private set; }

    /// <summary>The values expected from the shape (N×C×H×W); 0 before the shape is known.</summary>
    public long Expected => Shape is [var n, var c, var h, var w] ? n * c * h * w : 0;

    /// <summary>Handles tokens until the reader needs more bytes; false once a problem is found.</summary>
    public bool Feed(ref Utf8JsonReader reader)
    {
        Resume = (reader.CurrentState, reader.BytesConsumed);
        try
        {
            while (Problem is null && reader.Read())
            {
                if (!Handle(ref reader))
                {
                    return Problem is null; // a small value not yet complete: resume before its first token
                }

                Resume = (reader.CurrentState, reader.BytesConsumed);
            }
        }
        catch (InvalidOperationException)
        {
            // What Utf8JsonReader and JsonElement throw for a string that is not valid UTF-8.
            Fail("The body holds a string that is not valid UTF-8.");
        }

        return Problem is null;
    }

    /// <summary>The checks that need the whole header; null when the request is complete and consistent.</summary>
    public ProblemHttpResult? Finish()
    {
        if (at != At.End || inputs != 1 || Shape is null)
        {
            return Fail($"Send one JSON object with exactly one input tensor (name, shape, datatype and {(binary ? "parameters.binary_data_size" : "data")}).");
        }

        if (Datatype != "FP32")
        {
            return Fail("The input tensor's datatype must be FP32.");
        }

        if (binary)
        {
            return dataSeen || BinaryDataSize != Expected * sizeof(float)
                ? Fail($"With binary data the input carries no 'data' and parameters.binary_data_size = {Expected * sizeof(float)} (N×C×H×W×4 bytes of little-endian FP32).")
                : null;
        }

        return dataSeen && count == Expected ? null : Fail($"Input data must be {Expected} finite numbers for its shape; got {count}.");
    }

    /// <summary>The buffer the binary payload is copied into (N×C×H×W floats, after <see cref="Finish"/>).</summary>
    public Span<float> BinaryTarget() => Rent(Expected).AsSpan(0, (int)Expected);

    /// <summary>The N images of C×H×W values, each an exact array (the pooled buffer goes back).</summary>
    public IReadOnlyList<float[]> Images() =>
        [.. Enumerable.Range(0, (int)Shape![0]).Select(i => values!.AsSpan(i * (int)perImage, (int)perImage).ToArray())];

    public void Dispose()
    {
        if (values is not null)
        {
            ArrayPool<float>.Shared.Return(values);
            values = null;
        }
    }

    private bool Handle(ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        switch (at)
        {
            case At.Start when token == JsonTokenType.StartObject:
                at = At.RootKey;
                return true;
            case At.RootKey when token == JsonTokenType.PropertyName:
                (key, at) = (reader.GetString(), At.RootValue);
                return true;
            case At.RootKey when token == JsonTokenType.EndObject:
                at = At.End;
                return true;
            case At.RootValue when key == "inputs":
                at = token == JsonTokenType.StartArray ? At.Inputs : Invalid("'inputs' must be an array of tensors.");
                return true;
            case At.RootValue:
                return Small(ref reader, At.RootKey);
            case At.Inputs when token == JsonTokenType.StartObject:
                at = ++inputs == 1 ? At.InputKey : Invalid("Send exactly one input tensor.");
                return true;
            case At.Inputs when token == JsonTokenType.EndArray:
                at = At.RootKey;
                return true;
            case At.InputKey when token == JsonTokenType.PropertyName:
                (key, at) = (reader.GetString(), At.InputValue);
                return true;
            case At.InputKey when token == JsonTokenType.EndObject:
                at = At.Inputs;
                return true;
            case At.InputValue when key == "data":
                at = token != JsonTokenType.StartArray ? Invalid("Input data must be an array of numbers.")
                    : binary ? Invalid("With Inference-Header-Content-Length the tensor's data follows the header as bytes; send no 'data'.")
                    : dataSeen ? Invalid("The input tensor has 'data' twice.")
                    : At.Data;
                (depth, count) = (1, 0);
                return true;
            case At.InputValue:
                return Small(ref reader, At.InputKey);
            case At.Data:
                Data(ref reader);
                return true;
            default:
                at = Invalid("The request must be a KServe V2 JSON object: {\"id\", \"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}], \"parameters\"}.");
                return true;
        }
    }

    private void Data(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray when depth < MaxDataDepth:
                depth++;
                return;
            case JsonTokenType.EndArray:
                (at, dataSeen) = --depth == 0 ? (At.InputKey, true) : (At.Data, false);
                return;
            case JsonTokenType.Number:
                var limit = Expected > 0 ? Expected : ExplainExecution.MaxImagesPerRequest * perImage;
                if (count >= limit)
                {
                    at = Invalid($"Input data holds more than the {limit} values its shape allows.");
                }
                else if (!reader.TryGetSingle(out var value) || !float.IsFinite(value))
                {
                    at = Invalid($"Input data value {count} is not a finite FP32 number.");
                }
                else
                {
                    Rent(limit)[count++] = value;
                }

                return;
            default:
                at = Invalid($"Input data holds only numbers, in arrays nested at most {MaxDataDepth} deep.");
                return;
        }
    }

    private float[] Rent(long length)
    {
        if (values is null || values.Length < length)
        {
            var next = ArrayPool<float>.Shared.Rent((int)length);
            values?.AsSpan(0, count).CopyTo(next);
            Dispose();
            values = next;
        }

        return values;
    }

    private At Invalid(string detail)
    {
        Fail(detail);
        return At.End;
    }

    private T? Invalid<T>(string detail)
    {
        Fail(detail);
        return default;
    }

    private ProblemHttpResult Fail(string detail)
    {
        at = At.End;
        return Problem ??= ImageUploadReader.Invalid(detail);
    }
}
