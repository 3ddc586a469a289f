using System.Net;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Tests.Explaining;

namespace ExplainApi.Host.Tests.Explaining;

public sealed class NotExplainableModelTests
{
    [Fact]
    public async Task A_model_whose_logits_do_not_match_its_classes_is_served_but_explanations_are_422()
    {
        using var factory = new ExplainApiFactory();
        var client = factory.CreateClient(ExplainApiFactory.InferKey);
        await SaliencyFixture.RegisterAsync(factory, "mismatch", TinyConvNet.Exported(), allowResize: false, classes: ["a", "b"]); // 3 logits
        await SaliencyFixture.WaitUntilReadyAsync(client, "mismatch", 1);

        var response = await client.PostAsync("/v1/models/mismatch/saliency?method=occlusion", TestImages.PngContent(TestImages.Gradient8(8, 8)));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:model-not-explainable");
        Assert.Contains("3 values per image; the model lists 2 classes", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/models/mismatch")).StatusCode); // still served for metadata
    }
}
