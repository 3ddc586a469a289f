using System.Text.Json.Nodes;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Training;

/// <summary>The options of a <c>logistic-regression</c> job, read from the validated JSON.</summary>
public sealed record LogisticRegressionOptions(
    int Epochs, int BatchSize, double LearningRate, double WeightDecay, int Seed, double ValidationFraction)
{
    public static TrainerOptionSchema Schema { get; } = new TrainerOptionSchema()
        .WholeNumber("epochs", 5, 1, 1000)
        .WholeNumber("batchSize", 64, 1, 4096)
        .Number("learningRate", 0.01, v => v is > 0 and <= 10, "greater than 0 and at most 10")
        .Number("weightDecay", 0, v => v >= 0, "of at least 0")
        .WholeNumber("seed", 1)
        .Number("validationFraction", 0.2, v => v is >= 0.05 and <= 0.5, "from 0.05 to 0.5");

    /// <exception cref="ArgumentException">The options are invalid (the message lists every error).</exception>
    public static LogisticRegressionOptions From(JsonObject? options)
    {
        var validated = Schema.Validate(options);
        if (!validated.IsValid)
        {
            throw new ArgumentException(
                "Invalid logistic-regression options: " + string.Join(" ", validated.Errors.Values), nameof(options));
        }
        var v = validated.Values;
        return new LogisticRegressionOptions(
            TrainerOptionSchema.GetInt(v, "epochs"),
            TrainerOptionSchema.GetInt(v, "batchSize"),
            TrainerOptionSchema.GetDouble(v, "learningRate"),
            TrainerOptionSchema.GetDouble(v, "weightDecay"),
            TrainerOptionSchema.GetInt(v, "seed"),
            TrainerOptionSchema.GetDouble(v, "validationFraction"));
    }

    public static TrainerOptions Validate(JsonObject? options) => Schema.Validate(options);
}
