using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Models;

/// <summary>
/// Which outputs the client asked for as binary (KServe binary tensor extension): every output with
/// <c>parameters.binary_data_output: true</c>, or those listed in <c>outputs</c> with <c>parameters.binary_data: true</c>.
/// </summary>
internal sealed record KServeBinaryOutputs(bool All, IReadOnlySet<string> Named)
{
    public bool Any => All || Named.Count > 0;

    public bool For(string name) => All || Named.Contains(name);

    public static KServeBinaryOutputs From(JsonElement? parameters, JsonElement? outputs)
    {
        var all = parameters is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("binary_data_output", out var flag) && flag.ValueKind == JsonValueKind.True;
        var named = outputs is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Where(o => o.ValueKind == JsonValueKind.Object && o.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                    && o.TryGetProperty("parameters", out var op) && op.ValueKind == JsonValueKind.Object
                    && op.TryGetProperty("binary_data", out var b) && b.ValueKind == JsonValueKind.True)
                .Select(o => o.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        return new(all, named);
    }
}

/// <summary>An output in the binary answer's JSON header: its data inline, or its byte count in the payload.</summary>
internal sealed record KServeHeaderTensor(
    string Name, string Datatype, IReadOnlyList<long> Shape,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<double>? Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, long>? Parameters);

internal sealed record KServeResponseHeader(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    string? Id,
    IReadOnlyList<KServeHeaderTensor> Outputs,
    object Parameters);

/// <summary>
/// The binary form of an explain answer: the JSON header (its length in <c>Inference-Header-Content-Length</c>), then
/// each binary output's values row-major little-endian (FP32 as 4 bytes, INT64 as 8), in output order.
/// </summary>
internal static class KServeBinaryResponse
{
    public const string ContentType = "application/octet-stream";

    public static FileContentHttpResult Create(HttpResponse http, KServeExplainResponse response, KServeBinaryOutputs binary, JsonSerializerOptions json) =>
        Create(http, response.ModelName, response.ModelVersion, response.Id, response.Outputs, response.Parameters, binary, json);

    /// <summary>Any KServe answer (explain, infer): the outputs in the header or the payload, <paramref name="parameters"/> as they are.</summary>
    public static FileContentHttpResult Create(HttpResponse http, string modelName, string modelVersion, string? id, IReadOnlyList<KServeOutputTensor> tensors,
        object parameters, KServeBinaryOutputs binary, JsonSerializerOptions json)
    {
        var payload = new ArrayBufferWriter<byte>();
        var outputs = tensors.Select(o => binary.For(o.Name)
            ? new KServeHeaderTensor(o.Name, o.Datatype, o.Shape, null, new Dictionary<string, long> { ["binary_data_size"] = Append(payload, o) })
            : new KServeHeaderTensor(o.Name, o.Datatype, o.Shape, o.Data, null)).ToList();
        var header = JsonSerializer.SerializeToUtf8Bytes(
            new KServeResponseHeader(modelName, modelVersion, id, outputs, parameters), json);
        http.Headers[KServeRequestReader.HeaderLengthHeader] = header.Length.ToString(CultureInfo.InvariantCulture);
        var body = new byte[header.Length + payload.WrittenCount];
        header.CopyTo(body, 0);
        payload.WrittenSpan.CopyTo(body.AsSpan(header.Length));
        return TypedResults.Bytes(body, ContentType);
    }

    private static long Append(ArrayBufferWriter<byte> payload, KServeOutputTensor output)
    {
        var width = output.Datatype == "INT64" ? sizeof(long) : sizeof(float);
        var span = payload.GetSpan(output.Data.Count * width);
        for (var i = 0; i < output.Data.Count; i++)
        {
            if (width == sizeof(long))
            {
                BinaryPrimitives.WriteInt64LittleEndian(span[(i * width)..], (long)output.Data[i]);
            }
            else
            {
                BinaryPrimitives.WriteSingleLittleEndian(span[(i * width)..], (float)output.Data[i]);
            }
        }

        payload.Advance(output.Data.Count * width);
        return (long)output.Data.Count * width;
    }
}
