using System.Net;
using System.Text.Json;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Serving;
using ExplainApi.Torch.Training.Classifier;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>The real exporter's ResNet (with its backward graph) served end to end.</summary>
public sealed class ExportedResNetTests
{
    [Fact]
    public async Task An_exported_ResNet_serves_all_14_methods_and_Grad_CAM_equals_CAM_for_its_GAP_linear_head()
    {
        using var factory = new ExplainApiFactory();
        var client = factory.CreateClient(ExplainApiFactory.InferKey);
        byte[] onnx;
        using (var model = new ResNetClassifier(1, 16, 16, classes: 3, baseWidth: 8, depth: 2))
        {
            model.InitializeWeights(7);
            model.eval();
            onnx = ResNetOnnx.Export(model);
        }

        await SaliencyFixture.RegisterAsync(factory, "resnet", onnx, allowResize: false, size: 16);
        await SaliencyFixture.WaitUntilReadyAsync(client, "resnet", 1);

        var response = await client.PostAsync("/v1/models/resnet/saliency?method=all&target=1", TestImages.PngContent(TestImages.Gradient8(16, 16)));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var explanations = JsonDocument.Parse(body).RootElement.GetProperty("images")[0].GetProperty("explanations").EnumerateArray().ToList();
        Assert.Equal(14, explanations.Count);
        Assert.All(explanations, e => Assert.Equal(new PngHeader(16, 16, 16, 0), PngHeader.Read(Convert.FromBase64String(e.GetProperty("png").GetString()!))));
        Assert.Equal("layer2", explanations[0].GetProperty("manifest").GetProperty("targetLayer").GetString());

        // For a GAP → linear head ∂y_c/∂A_k = W[c, k]/(h·w): Grad-CAM's weights are CAM's up to a positive factor,
        // so the normalised maps coincide — through the served gradient graph and the served head weights.
        var cam = await RawMapAsync(client, "cam");
        var gradCam = await RawMapAsync(client, "gradcam");
        var (camMax, gradMax) = (cam.Max(), gradCam.Max());
        Assert.True(camMax > 0);
        for (var i = 0; i < cam.Length; i++)
        {
            Assert.Equal(cam[i] / camMax, gradCam[i] / gradMax, 4);
        }

        Assert.Equal(0, factory.Services.GetRequiredService<ModelSessionCache>().OrtValues.Live);
    }

    private static async Task<float[]> RawMapAsync(HttpClient client, string method)
    {
        var response = await client.PostAsync($"/v1/models/resnet/saliency?method={method}&target=1&raw=true", TestImages.PngContent(TestImages.Gradient8(16, 16)));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var raw = json.GetProperty("images")[0].GetProperty("explanations")[0].GetProperty("raw").GetString()!;
        return Core.Rendering.RawFloat32.Decode(Convert.FromBase64String(raw));
    }
}
