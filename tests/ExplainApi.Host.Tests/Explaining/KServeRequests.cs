using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>KServe V2 request bodies for the tests: JSON, and the binary tensor extension (JSON header + raw FP32).</summary>
public static class KServeRequests
{
    public const string HeaderLength = "Inference-Header-Content-Length";

    public static string Json(long[] shape, float[] data, object? parameters = null) => JsonSerializer.Serialize(new
    {
        id = "req-1",
        inputs = new[] { new { name = "input", shape, datatype = "FP32", data } },
        parameters = parameters ?? new { method = new[] { "gradcam", "rise" }, seed = 0 },
    });

    public static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    public static byte[] BinaryHeader(long[] shape, long binaryDataSize, object? parameters = null) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        id = "req-1",
        inputs = new[] { new { name = "input", shape, datatype = "FP32", parameters = new { binary_data_size = binaryDataSize } } },
        parameters = parameters ?? new { method = new[] { "gradcam", "rise" }, seed = 0 },
    });

    /// <summary>The header, then the tensor little-endian; <paramref name="headerLength"/> overrides the header's true length.</summary>
    public static ByteArrayContent BinaryContent(byte[] header, ReadOnlySpan<float> data, string? headerLength = null)
    {
        var body = header.Concat(MemoryMarshal.AsBytes(data).ToArray()).ToArray();
        return BinaryContent(body, headerLength ?? header.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static ByteArrayContent BinaryContent(byte[] body, string headerLength)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.TryAddWithoutValidation(HeaderLength, headerLength);
        return content;
    }
}
