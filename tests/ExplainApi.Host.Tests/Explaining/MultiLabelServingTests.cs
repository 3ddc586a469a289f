using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Models;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Torch.Training.Classifier;
using static TorchSharp.torch;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>A multi-label classifier (manifest outputActivation sigmoid) served beside the same weights as a softmax one.</summary>
public sealed class MultiLabelServingTests
{
    private const int Size = 16;

    [Fact]
    public async Task A_multi_label_classifier_serves_sigmoid_probabilities_that_match_TorchSharp_and_explains_each_class()
    {
        using var factory = new ExplainApiFactory();
        var client = factory.CreateClient(ExplainApiFactory.InferKey);
        var image = Enumerable.Range(0, Size * Size).Select(i => (float)Math.Sin(i * 0.37) * 2).ToArray();
        float[] sigmoid, softmax;
        byte[] multiLabel, singleLabel;
        using (var model = new ResNetClassifier(1, Size, Size, classes: 3, baseWidth: 8, depth: 2))
        {
            model.InitializeWeights(7);
            model.eval();
            using (no_grad())
            using (NewDisposeScope())
            {
                var logits = model.call(tensor(image, [1, 1, Size, Size]));
                (sigmoid, softmax) = (logits.sigmoid().data<float>().ToArray(), logits.softmax(1).data<float>().ToArray());
            }
            (multiLabel, singleLabel) = (ResNetOnnx.Export(model, OutputActivation.Sigmoid), ResNetOnnx.Export(model));
        }

        var manifest = await SaliencyFixture.RegisterAsync(factory, "multi", multiLabel, allowResize: false, size: Size, activation: OutputActivation.Sigmoid);
        await SaliencyFixture.RegisterAsync(factory, "single", singleLabel, allowResize: false, size: Size);
        await SaliencyFixture.WaitUntilReadyAsync(client, "multi", 1);
        await SaliencyFixture.WaitUntilReadyAsync(client, "single", 1);

        Assert.Equal(OutputActivation.Sigmoid, manifest.OutputActivation);
        Assert.True(Math.Abs(sigmoid.Sum() - 1) > 0.05, $"the sigmoids sum to {sigmoid.Sum()}");
        for (var c = 0; c < SaliencyFixture.Classes.Length; c++)
        {
            // A CAM per class: the target is class c's logit, whatever the activation.
            var (probabilities, target, map) = await ExplainAsync(client, "multi", image, SaliencyFixture.Classes[c]);
            AssertClose(sigmoid, probabilities);
            Assert.Equal(c, target);
            Assert.All(map, v => Assert.InRange(v, 0, 1));
        }

        AssertClose(softmax, (await ExplainAsync(client, "single", image, "lesion")).Probabilities);
        AssertClose(sigmoid, await InferProbabilitiesAsync(client, "multi", image));
        AssertClose(softmax, await InferProbabilitiesAsync(client, "single", image));
    }

    private static async Task<(double[] Probabilities, int Target, double[] Map)> ExplainAsync(HttpClient client, string model, float[] image, string target)
    {
        var response = await client.PostAsJsonAsync($"/v2/models/{model}/explain", new
        {
            inputs = new[] { new { name = "input", shape = new[] { 1, 1, Size, Size }, datatype = "FP32", data = image } },
            parameters = new { method = "gradcam", target },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var outputs = JsonDocument.Parse(body).RootElement.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        double[] Data(string name) => [.. outputs[name].GetProperty("data").EnumerateArray().Select(v => v.GetDouble())];
        return (Data("probabilities"), (int)Data("target_class")[0], Data("gradcam"));
    }

    /// <summary>The graph's own probabilities output, through the KServe inference route.</summary>
    private static async Task<double[]> InferProbabilitiesAsync(HttpClient client, string model, float[] image)
    {
        var response = await client.PostAsJsonAsync($"/v2/models/{model}/infer", new
        {
            inputs = new[] { new { name = "input", shape = new[] { 1, 1, Size, Size }, datatype = "FP32", data = image } },
            outputs = new[] { new { name = "probabilities" } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var output = JsonDocument.Parse(body).RootElement.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "probabilities");
        return [.. output.GetProperty("data").EnumerateArray().Select(v => v.GetDouble())];
    }

    private static void AssertClose(float[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-4, $"expected {p.First}, served {p.Second}"));
    }
}
