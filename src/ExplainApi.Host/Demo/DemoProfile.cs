using System.Text.Json.Nodes;
using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Host.Demo;

/// <summary>
/// The options of the demo classifier job: the fast profile (stride-2 stem, width 16, 3 stages) on the standard squares
/// splits (test 20 %, validation 20 % of the rest, seed 1 = DatasetSplits.Standard), so its test metrics are honest and
/// the evaluate job can score it on the same test split. Measured on the 2-core build machine: see README "First start".
/// </summary>
public static class DemoProfile
{
    public const string Kind = ClassifierTrainer.KindName;

    public static JsonObject Options() => new()
    {
        ["epochs"] = 2,
        ["batchSize"] = 32,
        ["learningRate"] = 0.001,
        ["width"] = 16,
        ["depth"] = 3,
        ["stemStride"] = 2,
        ["earlyStoppingPatience"] = 1,
        ["seed"] = 1,
        ["validationFraction"] = 0.2,
        ["testFraction"] = 0.2,
    };
}
