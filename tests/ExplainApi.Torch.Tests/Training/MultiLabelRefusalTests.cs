using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Core.Training;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Classifier;
using ExplainApi.Torch.Training.CycleGan;
using ExplainApi.Torch.Training.VaGan;

namespace ExplainApi.Torch.Tests.Training;

/// <summary>Trainers that read LabelOf as a class refuse a multi-label dataset, whose LabelOf is a stratification key.</summary>
public sealed class MultiLabelRefusalTests
{
    private static readonly LesionsDataset Lesions = new(new LesionsOptions { Count = 8, Size = 64, Background = LesionBackground.Noise });

    public static TheoryData<string> Kinds => [LogisticRegressionTrainer.KindName, ClassifierTrainer.KindName, CycleGanTrainer.KindName, VaGanTrainer.KindName];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Single_label_trainers_refuse_the_lesions_set_and_say_why(string kind)
    {
        ITrainer trainer = kind switch
        {
            LogisticRegressionTrainer.KindName => new LogisticRegressionTrainer(),
            ClassifierTrainer.KindName => new ClassifierTrainer(),
            CycleGanTrainer.KindName => new CycleGanTrainer(),
            _ => new VaGanTrainer(),
        };

        Assert.Equal(
            $"{kind} needs a single-label dataset; synthetic:lesions?n=8&size=64&seed=1&background=noise&max=3 is multi-label (an image may hold several of blob, thin, tiny).",
            trainer.ValidateDataset(Lesions));
    }
}
