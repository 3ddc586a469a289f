namespace ExplainApi.Core.Datasets;

/// <summary>
/// A dataset whose images carry any subset of its classes (weakly supervised segmentation: image-level
/// multi-hot labels for training, pixel masks for evaluation). <see cref="IDataset.ClassNames"/> are the C
/// object classes, without background. <see cref="IDataset.LabelOf"/> is not a class index but a
/// stratification key in 0..C: how many classes the image holds, so stratified splits balance empty and
/// busy images; trainers that read it as a class must refuse these datasets.
/// </summary>
public interface IMultiLabelDataset : IDataset
{
    /// <summary>The multi-hot labels of sample <paramref name="index"/> (length C), cheaply, without building its pixels.</summary>
    float[] LabelsOf(int index);

    /// <summary>True when <see cref="Sample.Segmentation"/> is present for every sample.</summary>
    bool HasSegmentation { get; }
}
