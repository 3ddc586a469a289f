using System.Net;
using System.Text;
using System.Text.Json;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Tests.Explaining;
using static ExplainApi.Host.Tests.Explaining.KServeRequests;

namespace ExplainApi.Host.Tests.Explaining;

public sealed class KServeBinaryTests(SaliencyFixture fixture) : IClassFixture<SaliencyFixture>
{
    private static readonly float[] Images = [.. TinyConvNet.Image(1), .. TinyConvNet.Image(2)];

    [Fact]
    public async Task Binary_tensor_in_gives_the_same_maps_as_json_in()
    {
        var json = await OkJsonAsync(await fixture.Client.PostAsync("/v2/models/conv/explain", JsonContent(Json([2, 1, 8, 8], Images))));
        var binary = await OkJsonAsync(await fixture.Client.PostAsync("/v2/models/conv/explain",
            BinaryContent(BinaryHeader([2, 1, 8, 8], Images.Length * 4), Images)));

        foreach (var name in new[] { "probabilities", "target_class", "gradcam", "rise" })
        {
            Assert.Equal(Data(json, name), Data(binary, name));
        }
    }

    [Fact]
    public async Task Binary_output_is_a_json_header_then_little_endian_tensors_that_parse_back()
    {
        var expected = await OkJsonAsync(await fixture.Client.PostAsync("/v2/models/conv/explain", JsonContent(Json([2, 1, 8, 8], Images))));

        var response = await fixture.Client.PostAsync("/v2/models/conv/explain", BinaryContent(
            BinaryHeader([2, 1, 8, 8], Images.Length * 4, new { method = new[] { "gradcam", "rise" }, seed = 0, binary_data_output = true }), Images));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var headerLength = int.Parse(response.Headers.GetValues(HeaderLength).Single(), System.Globalization.CultureInfo.InvariantCulture);
        var body = await response.Content.ReadAsByteArrayAsync();
        var header = JsonDocument.Parse(body.AsMemory(0, headerLength)).RootElement;
        var offset = headerLength;
        foreach (var output in header.GetProperty("outputs").EnumerateArray())
        {
            var name = output.GetProperty("name").GetString()!;
            Assert.False(output.TryGetProperty("data", out _));
            var size = output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
            var bytes = body[offset..(offset + size)];
            double[] values = output.GetProperty("datatype").GetString() == "INT64"
                ? [.. Enumerable.Range(0, size / 8).Select(i => (double)BitConverter.ToInt64(bytes, i * 8))]
                : [.. Enumerable.Range(0, size / 4).Select(i => (double)BitConverter.ToSingle(bytes, i * 4))];
            Assert.Equal(Data(expected, name).Select(v => (float)v), values.Select(v => (float)v));
            offset += size;
        }

        Assert.Equal(body.Length, offset);
        Assert.Equal(4, header.GetProperty("outputs").GetArrayLength());
    }

    [Fact]
    public async Task Only_the_outputs_asked_for_come_as_binary()
    {
        var header = Encoding.UTF8.GetBytes(
            """{"inputs":[{"name":"input","shape":[1,1,8,8],"datatype":"FP32","parameters":{"binary_data_size":256}}],"outputs":[{"name":"gradcam","parameters":{"binary_data":true}}],"parameters":{"method":"gradcam"}}""");
        var response = await fixture.Client.PostAsync("/v2/models/conv/explain", BinaryContent(header, TinyConvNet.Image(3)));

        var body = await response.Content.ReadAsByteArrayAsync();
        var length = int.Parse(response.Headers.GetValues(HeaderLength).Single(), System.Globalization.CultureInfo.InvariantCulture);
        var outputs = JsonDocument.Parse(body.AsMemory(0, length)).RootElement.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal(64 * 4, outputs["gradcam"].GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.Equal(3, outputs["probabilities"].GetProperty("data").GetArrayLength());
        Assert.Equal(length + (64 * 4), body.Length);
    }

    public static TheoryData<string, string> BrokenBinaryBodies => new()
    {
        { "truncated tensor", "truncate" },
        { "binary_data_size not N×C×H×W×4", "size" },
        { "header length larger than the body", "header-too-long" },
        { "negative header length", "-5" },
        { "huge header length", "99999999999999999999" },
        { "header length that cuts the JSON", "10" },
        { "bytes after the tensor", "extra" },
        { "data as well as binary", "data" },
    };

    [Theory]
    [MemberData(nameof(BrokenBinaryBodies))]
    public async Task Broken_binary_bodies_are_400_problems(string because, string how)
    {
        var image = TinyConvNet.Image(1);
        var header = BinaryHeader([1, 1, 8, 8], how == "size" ? 128 : 256);
        var tensor = System.Runtime.InteropServices.MemoryMarshal.AsBytes(image.AsSpan()).ToArray();
        var body = how switch
        {
            "truncate" => [.. header, .. tensor.AsSpan(0, 100)],
            "extra" => [.. header, .. tensor, 1, 2, 3],
            "data" => [.. Encoding.UTF8.GetBytes(Json([1, 1, 8, 8], image).Replace("\"data\"", "\"parameters\":{\"binary_data_size\":256},\"data\"", StringComparison.Ordinal))],
            _ => header.Concat(tensor).ToArray(),
        };
        var headerLength = how switch
        {
            "header-too-long" => (body.Length + 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-5" or "99999999999999999999" or "10" => how,
            _ => (how == "data" ? body.Length : header.Length).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        var response = await fixture.Client.PostAsync("/v2/models/conv/explain", BinaryContent(body, headerLength));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "urn:explainapi:problem:invalid-request");
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()), because);
    }

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static double[] Data(JsonElement response, string output) =>
        [.. response.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == output).GetProperty("data").EnumerateArray().Select(v => v.GetDouble())];
}
