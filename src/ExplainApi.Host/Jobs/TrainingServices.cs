using ExplainApi.Core.Training;
using ExplainApi.Host.Datasets;
using ExplainApi.Host.DifferenceMaps;
using ExplainApi.Host.Evaluation;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Models;
using ExplainApi.Host.Storage;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Classifier;
using ExplainApi.Torch.Training.CycleGan;
using ExplainApi.Torch.Training.Segmentation;
using ExplainApi.Torch.Training.VaGan;

namespace ExplainApi.Host.Jobs;

public static class TrainingServices
{
    /// <summary>
    /// What training needs, shared by the server and the `train` command: store, decoders (for
    /// uploaded datasets), datasets, model registry, the job system, every trainer, the evaluate and difference-summary job kinds.
    /// </summary>
    public static IHostApplicationBuilder AddTrainingServices(this IHostApplicationBuilder builder)
    {
        builder.AddStorage();
        builder.AddImaging();
        builder.AddDatasets();
        builder.AddModelRegistry();
        builder.AddJobs();
        builder.AddEvaluation();
        builder.AddDifferenceMapJobs();
        builder.Services.AddSingleton<ITrainer, LogisticRegressionTrainer>();
        builder.Services.AddSingleton<ITrainer, ClassifierTrainer>();
        builder.Services.AddSingleton<ITrainer, VaGanTrainer>();
        builder.Services.AddSingleton<ITrainer, CycleGanTrainer>();
        builder.Services.AddSingleton<ITrainer, SegmentationTrainer>();
        return builder;
    }
}
