using System.Text.Json.Nodes;
using ExplainApi.Torch.Training;

namespace ExplainApi.Torch.Tests.Training;

public sealed class LogisticRegressionOptionsTests
{
    private readonly LogisticRegressionTrainer trainer = new();

    [Fact]
    public void No_options_give_every_default()
    {
        var result = trainer.ValidateOptions(null);

        Assert.True(result.IsValid);
        Assert.Equal(
            """{"epochs":5,"batchSize":64,"learningRate":0.01,"weightDecay":0,"seed":1,"validationFraction":0.2}""",
            result.Values.ToJsonString());
    }

    [Fact]
    public void Given_options_are_kept_and_missing_ones_filled_in()
    {
        var result = trainer.ValidateOptions(JsonNode.Parse("""{"epochs":3,"learningRate":1,"seed":-4}""")!.AsObject());

        Assert.True(result.IsValid);
        Assert.Equal(3, result.Values["epochs"]!.GetValue<int>());
        Assert.Equal(1.0, result.Values["learningRate"]!.GetValue<double>());
        Assert.Equal(-4, result.Values["seed"]!.GetValue<int>());
        Assert.Equal(64, result.Values["batchSize"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"epochs":0}""", "epochs", "from 1 to 1000")]
    [InlineData("""{"epochs":1001}""", "epochs", "from 1 to 1000")]
    [InlineData("""{"epochs":2.5}""", "epochs", "integer")]
    [InlineData("""{"epochs":"5"}""", "epochs", "integer")]
    [InlineData("""{"batchSize":4097}""", "batchSize", "from 1 to 4096")]
    [InlineData("""{"batchSize":null}""", "batchSize", "integer")]
    [InlineData("""{"learningRate":0}""", "learningRate", "greater than 0 and at most 10")]
    [InlineData("""{"learningRate":10.5}""", "learningRate", "at most 10")]
    [InlineData("""{"learningRate":true}""", "learningRate", "number")]
    [InlineData("""{"weightDecay":-0.1}""", "weightDecay", "at least 0")]
    [InlineData("""{"seed":1.5}""", "seed", "integer")]
    [InlineData("""{"seed":[1]}""", "seed", "integer")]
    [InlineData("""{"validationFraction":0.01}""", "validationFraction", "from 0.05 to 0.5")]
    [InlineData("""{"validationFraction":0.6}""", "validationFraction", "from 0.05 to 0.5")]
    [InlineData("""{"momentum":0.9}""", "momentum", "Allowed options: epochs, batchSize")]
    public void A_wrong_field_is_an_error_under_its_name_saying_what_is_allowed(string json, string field, string allowed)
    {
        var result = trainer.ValidateOptions(JsonNode.Parse(json)!.AsObject());

        Assert.False(result.IsValid);
        Assert.Contains(allowed, Assert.Single(result.Errors, e => e.Key == field).Value);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Every_wrong_field_is_reported_at_once()
    {
        var result = trainer.ValidateOptions(JsonNode.Parse("""{"epochs":-1,"batchSize":0,"extra":1}""")!.AsObject());

        Assert.Equal(["batchSize", "epochs", "extra"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Integral_numbers_written_with_a_fraction_part_are_accepted_as_integers()
    {
        var result = trainer.ValidateOptions(JsonNode.Parse("""{"epochs":2.0,"learningRate":1}""")!.AsObject());

        Assert.True(result.IsValid);
        Assert.Equal(2, result.Values["epochs"]!.GetValue<int>());
    }
}
