using System.Text.Json.Nodes;
using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Torch.Tests.Training.Classifier;

public sealed class ClassifierOptionsTests
{
    [Fact]
    public void No_options_give_every_default()
    {
        var result = ClassifierOptions.Validate(null);

        Assert.True(result.IsValid);
        Assert.Equal(
            """{"epochs":8,"batchSize":32,"learningRate":0.001,"weightDecay":0.0001,"width":16,"depth":3,"augmentation":false,"earlyStoppingPatience":3,"seed":1,"validationFraction":0.2,"stemStride":1,"testFraction":0}""",
            result.Values.ToJsonString());
    }

    [Fact]
    public void Given_options_are_read_into_the_record()
    {
        var options = ClassifierOptions.From(JsonNode.Parse("""{"width":32,"depth":4,"augmentation":true,"earlyStoppingPatience":0}""")!.AsObject());

        Assert.Equal((32, 4, true, 0, 8), (options.Width, options.Depth, options.Augmentation, options.EarlyStoppingPatience, options.Epochs));
    }

    [Theory]
    [InlineData("""{"width":4}""", "width", "from 8 to 128")]
    [InlineData("""{"width":129}""", "width", "from 8 to 128")]
    [InlineData("""{"depth":0}""", "depth", "from 1 to 5")]
    [InlineData("""{"depth":6}""", "depth", "from 1 to 5")]
    [InlineData("""{"augmentation":1}""", "augmentation", "true or false (default false)")]
    [InlineData("""{"augmentation":"yes"}""", "augmentation", "true or false")]
    [InlineData("""{"earlyStoppingPatience":-1}""", "earlyStoppingPatience", "from 0 to 1000")]
    [InlineData("""{"learningRate":2}""", "learningRate", "at most 1")]
    [InlineData("""{"momentum":0.9}""", "momentum", "Allowed options: epochs, batchSize")]
    public void A_wrong_field_is_an_error_under_its_name(string json, string field, string allowed)
    {
        var result = ClassifierOptions.Validate(JsonNode.Parse(json)!.AsObject());

        Assert.False(result.IsValid);
        Assert.Contains(allowed, result.Errors[field]);
        Assert.Throws<ArgumentException>(() => ClassifierOptions.From(JsonNode.Parse(json)!.AsObject()));
    }
}
