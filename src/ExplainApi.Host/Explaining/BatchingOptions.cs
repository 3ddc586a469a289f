using System.ComponentModel.DataAnnotations;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Onnx.Explaining;

namespace ExplainApi.Host.Explaining;

/// <summary>
/// The "ExplainApi:Batching" section: dynamic batching of the saliency routes' model passes across concurrent requests
/// (<see cref="BatchingExplainableModel"/>), per model version and pass kind, with per-model overrides under
/// <c>Models:{name}</c>. Only admitted requests meet in a batch (ExplainApi:Explain bounds them).
/// </summary>
public sealed class BatchingOptions : IValidatableObject
{
    public const string Section = "ExplainApi:Batching";

    // One range for the section's values and every model's overrides.
    private const int LargestBatch = 1024;
    private const double LongestDelayMilliseconds = 1000;

    /// <summary>
    /// Off by default: on CPU a batched ORT pass of the 112² ResNet costs more per image than batch 1 (docs/benchmarks.md), so
    /// batching only adds the queue delay; turn it on where batches are cheaper per image (GPU, larger models).
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>Items (images) of one batched call; a request's own chunk of more runs alone. Default: the model's chunk size.</summary>
    [Range(1, LargestBatch)]
    public int MaxBatch { get; set; } = OnnxExplainableModelBuilder.DefaultMaxBatch;

    /// <summary>How long the first queued call waits for others (not at all once the batch is full).</summary>
    [Range(0.0, LongestDelayMilliseconds)]
    public double MaxQueueDelayMilliseconds { get; set; } = 2;

    /// <summary>Overrides by model name; unset values come from above.</summary>
    public Dictionary<string, ModelBatchingOptions> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>The settings of model <paramref name="name"/>, or null when batching is off for it.</summary>
    public BatchingSettings? For(string name)
    {
        var own = Models.GetValueOrDefault(name);
        return own?.Enabled ?? Enabled
            ? new BatchingSettings(own?.MaxBatch ?? MaxBatch, TimeSpan.FromMilliseconds(own?.MaxQueueDelayMilliseconds ?? MaxQueueDelayMilliseconds))
            : null;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, model) in Models)
        {
            if (model.MaxBatch is < 1 or > LargestBatch)
            {
                yield return new ValidationResult($"Models:{name}:MaxBatch must be between 1 and {LargestBatch}.", [nameof(Models)]);
            }

            if (model.MaxQueueDelayMilliseconds is < 0 or > LongestDelayMilliseconds)
            {
                yield return new ValidationResult($"Models:{name}:MaxQueueDelayMilliseconds must be between 0 and {LongestDelayMilliseconds}.", [nameof(Models)]);
            }
        }
    }
}

/// <summary>One model's batching overrides (null: the section's value).</summary>
public sealed class ModelBatchingOptions
{
    public bool? Enabled { get; set; }

    public int? MaxBatch { get; set; }

    public double? MaxQueueDelayMilliseconds { get; set; }
}
