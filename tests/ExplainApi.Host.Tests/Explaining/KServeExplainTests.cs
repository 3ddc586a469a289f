using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Tests.Explaining;

namespace ExplainApi.Host.Tests.Explaining;

public sealed class KServeExplainTests(SaliencyFixture fixture) : IClassFixture<SaliencyFixture>
{
    private static object Request(long[] shape, float[] data, object? parameters = null, string datatype = "FP32") => new
    {
        id = "req-1",
        inputs = new[] { new { name = "input", shape, datatype, data } },
        parameters = parameters ?? new { method = new[] { "gradcam", "rise" }, target = "lesion", raw = true },
    };

    [Fact]
    public async Task Tensors_in_give_probabilities_target_classes_and_a_map_tensor_per_method()
    {
        var images = TinyConvNet.Image(1).Concat(TinyConvNet.Image(2)).ToArray();

        var response = await fixture.Client.PostAsJsonAsync("/v2/models/conv/explain", Request([2, 1, 8, 8], images));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(("conv", "1", "req-1"), (json.GetProperty("model_name").GetString(), json.GetProperty("model_version").GetString(), json.GetProperty("id").GetString()));
        var outputs = json.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal(["probabilities", "target_class", "gradcam", "gradcam_raw", "rise", "rise_raw"], outputs.Keys);
        Assert.Equal([1.0, 1.0], outputs["target_class"].GetProperty("data").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([2, 8, 8], outputs["rise"].GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.All(outputs["gradcam"].GetProperty("data").EnumerateArray(), v => Assert.InRange(v.GetDouble(), 0, 1));

        // The tensors are model input as they are: the probabilities are softmax of the net's logits.
        var probabilities = outputs["probabilities"].GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (var n = 0; n < 2; n++)
        {
            var logits = TinyConvNet.Reference(TinyConvNet.Image(n + 1)).Logits;
            var exp = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(exp[c] / exp.Sum(), probabilities[(n * 3) + c], 5);
            }
        }

        var manifests = json.GetProperty("parameters").GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(4, manifests.Count);
        Assert.All(manifests, m => Assert.Equal("lesion", m.GetProperty("targetClassName").GetString()));
    }

    [Fact]
    public async Task A_version_route_and_a_single_method_name_work()
    {
        var response = await fixture.Client.PostAsJsonAsync("/v2/models/conv/versions/1/explain",
            Request([1, 1, 8, 8], TinyConvNet.Image(3), new { method = "eigencam" }));

        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["probabilities", "target_class", "eigencam"], json.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Bad_tensors_and_parameters_are_problems()
    {
        await ProblemAssert.IsProblemAsync(await fixture.Client.PostAsJsonAsync("/v2/models/conv/explain", Request([1, 1, 4, 4], new float[16])),
            HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:input-shape-mismatch");
        await ProblemAssert.IsProblemAsync(await fixture.Client.PostAsJsonAsync("/v2/models/conv/explain", Request([1, 1, 8, 8], new float[10])),
            HttpStatusCode.BadRequest, "urn:explainapi:problem:invalid-request");
        await ProblemAssert.IsProblemAsync(await fixture.Client.PostAsJsonAsync("/v2/models/conv/explain", Request([1, 1, 8, 8], new float[64], datatype: "INT8")),
            HttpStatusCode.BadRequest, "urn:explainapi:problem:invalid-request");
        await ProblemAssert.IsProblemAsync(await fixture.Client.PostAsJsonAsync("/v2/models/conv/explain", Request([1, 1, 8, 8], new float[64], new { method = "nope" })),
            HttpStatusCode.BadRequest, "urn:explainapi:problem:method-unknown");
        await ProblemAssert.IsProblemAsync(await fixture.Client.PostAsJsonAsync("/v2/models/conv/explain", Request([1, 1, 8, 8], new float[64], new { method = "rise", riseMasks = 0 })),
            HttpStatusCode.BadRequest, "urn:explainapi:problem:invalid-request");
        await ProblemAssert.IsProblemAsync(await fixture.Client.PostAsJsonAsync("/v2/models/conv/explain", Request([1, 1, 8, 8], new float[64], new { target = 9 })),
            HttpStatusCode.BadRequest, "urn:explainapi:problem:class-unknown");
        await ProblemAssert.IsProblemAsync(await fixture.Client.PostAsJsonAsync("/v2/models/conv/versions/3/explain", Request([1, 1, 8, 8], new float[64])),
            HttpStatusCode.NotFound, "urn:explainapi:problem:version-unknown");
        await ProblemAssert.IsProblemAsync(await fixture.Client.PostAsJsonAsync("/v2/models/conv-nan/explain", Request([1, 1, 8, 8], new float[64])),
            HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:model-output-non-finite");
        Assert.Equal(0, fixture.Cache.OrtValues.Live);
    }
}
