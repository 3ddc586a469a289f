using System.Net;
using System.Text.Json;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Models;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Tests.Explaining;
using ExplainApi.Onnx.Tests.Serving;
using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Host.Tests.DifferenceMaps;

/// <summary>The KServe V2 inference and metadata routes with Triton-style requests, for a classifier and a two-graph difference-map model.</summary>
public sealed class KServeInferTests(DifferenceMapFixture fixture) : IClassFixture<DifferenceMapFixture>
{
    private const int Size = DifferenceMapFixture.Size;

    [Fact]
    public async Task A_named_graph_answers_its_outputs_equal_to_a_direct_ONNX_Runtime_run()
    {
        var images = Images(2);
        var body = await InferAsync("gan", Request(images, parameters: new { graph = "generator-b2a" }));

        var output = Assert.Single(body.GetProperty("outputs").EnumerateArray());
        Assert.Equal("translated", output.GetProperty("name").GetString());
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Assert.Equal([2L, 1, Size, Size], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var direct = Direct(TinyGenerator.Build(1, Size, DifferenceMapFixture.SeedB2A), ["input"], images, 2, "translated");
        Assert.Equal(direct, output.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()), Close);
        Assert.Equal("generator-b2a", body.GetProperty("parameters").GetProperty("graph").GetString());
        Assert.Equal(("gan", "1", "triton-1"), (body.GetProperty("model_name").GetString(), body.GetProperty("model_version").GetString(), body.GetProperty("id").GetString()));
        Assert.Equal(0, fixture.Cache.OrtValues.Live);
    }

    [Fact]
    public async Task Without_a_graph_the_primary_one_runs_and_a_version_can_be_named()
    {
        var images = Images(1);

        var body = await InferAsync("gan", Request(images), "/v2/models/gan/versions/1/infer");

        Assert.Equal("generator", body.GetProperty("parameters").GetProperty("graph").GetString());
        Assert.Equal(TinyGenerator.Reference(images, 1, Size, DifferenceMapFixture.SeedA2B),
            body.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()), Close);
    }

    [Fact]
    public async Task A_classifier_answers_its_logits_and_an_INT64_class_and_outputs_filters_them()
    {
        var images = Images(2);

        var all = await InferAsync("judge", Request(images));
        var filtered = await InferAsync("judge", Request(images, outputs: ["logits"]));

        var outputs = all.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        var logits = images.Chunk(Size * Size).SelectMany(i => TinyConvNet.Reference(i).Logits);
        Assert.Equal(logits, outputs["logits"].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()), Close);
        Assert.Equal("INT64", outputs["target_class"].GetProperty("datatype").GetString());
        Assert.Equal(["logits"], filtered.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"image","shape":[1,1,8,8],"datatype":"FP32","data":[DATA]}]}""", "Unknown input 'image'; graph 'generator' takes FP32 'input'.")]
    [InlineData("""{"inputs":[{"name":"input","shape":[1,1,8,8],"datatype":"FP32","data":[DATA]}],"parameters":{"graph":"encoder"}}""", "Model 'gan' has no graph 'encoder'; it has generator, generator-b2a.")]
    [InlineData("""{"inputs":[{"name":"input","shape":[1,1,8,8],"datatype":"FP32","data":[DATA]}],"outputs":[{"name":"logits"}]}""", "Unknown output 'logits'; graph 'generator' has translated.")]
    [InlineData("""{"inputs":[{"name":"input","shape":[1,1,8,8],"datatype":"INT64","data":[DATA]}]}""", "The input tensor's datatype must be FP32.")]
    [InlineData("""{"inputs":[{"name":"input","shape":[1,1,4,16],"datatype":"FP32","data":[DATA]}]}""", "The input's shape is not [N, 1, 8, 8] with N from 1 to 16.")]
    public async Task A_wrong_input_name_graph_output_datatype_or_shape_is_400(string json, string detail)
    {
        using var content = KServeRequests.JsonContent(json.Replace("DATA", string.Join(',', Enumerable.Repeat("0.5", Size * Size)), StringComparison.Ordinal));

        var problem = await ProblemAssert.IsProblemAsync(await fixture.Client.PostAsync("/v2/models/gan/infer", content), HttpStatusCode.BadRequest);

        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_binary_tensor_extension_works_both_ways()
    {
        var images = Images(1);
        var header = JsonSerializer.SerializeToUtf8Bytes(new
        {
            inputs = new[] { new { name = "input", shape = new[] { 1, 1, Size, Size }, datatype = "FP32", parameters = new { binary_data_size = images.Length * 4 } } },
            parameters = new { binary_data_output = true },
        });

        var response = await fixture.Client.PostAsync("/v2/models/gan/infer", KServeRequests.BinaryContent(header, images));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var length = int.Parse(response.Headers.GetValues(KServeRequests.HeaderLength).Single(), System.Globalization.CultureInfo.InvariantCulture);
        var values = Enumerable.Range(0, (bytes.Length - length) / 4).Select(i => BitConverter.ToSingle(bytes, length + (i * 4)));
        Assert.Equal(TinyGenerator.Reference(images, 1, Size, DifferenceMapFixture.SeedA2B), values, Close);
    }

    [Fact]
    public async Task Metadata_lists_the_primary_graph_and_every_graph_by_role()
    {
        var body = JsonDocument.Parse(await fixture.Client.GetStringAsync("/v2/models/gan")).RootElement;

        Assert.Equal("difference-map", body.GetProperty("task").GetString());
        Assert.Equal("input", body.GetProperty("inputs")[0].GetProperty("name").GetString());
        Assert.Equal([-1L, 1, Size, Size], body.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal("translated", body.GetProperty("outputs")[0].GetProperty("name").GetString());
        Assert.Equal(["generator", "generator-b2a"], body.GetProperty("graphs").EnumerateArray().Select(g => g.GetProperty("role").GetString()));
        Assert.All(body.GetProperty("graphs").EnumerateArray(), g => Assert.Equal("translated", g.GetProperty("outputs")[0].GetProperty("name").GetString()));
    }

    [Fact]
    public async Task The_KServe_explain_route_answers_a_difference_map_models_map_and_translation_for_the_direction()
    {
        var images = Images(1);

        var body = await InferAsync("gan", Request(images, parameters: new { direction = "b2a" }), "/v2/models/gan/explain");

        var outputs = body.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        var translated = TinyGenerator.Reference(images, 1, Size, DifferenceMapFixture.SeedB2A);
        Assert.Equal(translated, outputs["translated"].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()), Close);
        Assert.Equal(translated.Zip(images, (y, x) => y - x), outputs["map"].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()), Close);
        Assert.Equal("b2a", body.GetProperty("parameters").GetProperty("direction").GetProperty("name").GetString());

        using var unknown = KServeRequests.JsonContent(JsonSerializer.Serialize(Request(images, parameters: new { direction = "sideways" })));
        await ProblemAssert.IsProblemAsync(await fixture.Client.PostAsync("/v2/models/gan/explain", unknown), HttpStatusCode.UnprocessableEntity, ProblemTypes.DirectionUnknown);
    }

    private static float[] Images(int count) => [.. Enumerable.Range(0, count * Size * Size).Select(i => MathF.Cos(i * 0.37f) * 0.8f)];

    private static object Request(float[] images, string[]? outputs = null, object? parameters = null) => new
    {
        id = "triton-1",
        inputs = new[] { new { name = "input", shape = new[] { images.Length / (Size * Size), 1, Size, Size }, datatype = "FP32", data = images } },
        outputs = outputs?.Select(o => new { name = o }).ToArray() ?? [],
        parameters = parameters ?? new { },
    };

    private async Task<JsonElement> InferAsync(string name, object request, string? path = null)
    {
        using var content = KServeRequests.JsonContent(JsonSerializer.Serialize(request));
        var response = await fixture.Client.PostAsync(path ?? $"/v2/models/{name}/infer", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The graph run by ONNX Runtime here, outside the service.</summary>
    private static float[] Direct(byte[] onnx, string[] inputNames, float[] images, int count, string output)
    {
        using var session = new InferenceSession(onnx);
        using var input = OrtValue.CreateTensorValueFromMemory(images, [count, 1, Size, Size]);
        using var options = new RunOptions();
        using var results = session.Run(options, inputNames, [input], [output]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static readonly Tolerance Close = new();

    private sealed class Tolerance : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= 1e-5f;

        public int GetHashCode(float obj) => 0;
    }
}
