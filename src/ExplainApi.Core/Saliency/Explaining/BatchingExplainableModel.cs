using ExplainApi.Core.Models;

namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// A model whose <see cref="Forward(float[], int, CancellationToken)"/> and <see cref="Gradients(float[], int, int[], SaliencyNeeds, CancellationToken)"/>
/// calls from concurrent requests are batched (<see cref="DynamicBatcher{TCall, TResult}"/>, one queue per pass kind and set of wanted gradients):
/// the callers' items are concatenated, run as one call of <paramref name="inner"/> and split back, each caller's
/// targets kept. Calls are checked before they queue, so one caller's bad input never fails the others' batch.
/// Head passes and head weights go straight through. <see cref="MaxBatch"/> stays the inner model's (one request's chunk).
/// </summary>
public sealed class BatchingExplainableModel : IExplainableModel
{
    private readonly IExplainableModel inner;
    private readonly DynamicBatcher<ForwardCall, ForwardPass> forward;
    // One queue per set of wanted gradients: a ∂y/∂A-only pass runs another graph than a pass that also needs ∂y/∂x.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<SaliencyNeeds, DynamicBatcher<GradientCall, GradientPass>> gradients = new();
    private readonly TimeProvider clock;

    public BatchingExplainableModel(IExplainableModel inner, BatchingSettings settings, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(settings);
        (this.inner, Settings) = (inner, settings);
        this.clock = clock ?? TimeProvider.System;
        forward = new(settings.MaxBatch, settings.MaxQueueDelay, this.clock, c => c.Batch, RunForward);
    }

    public BatchingSettings Settings { get; }

    /// <summary>Calls of both kinds waiting for their batch to start.</summary>
    public int QueuedCalls => forward.Queued + gradients.Values.Sum(g => g.Queued);

    public ModelShape Shape => inner.Shape;

    public string? TargetLayer => inner.TargetLayer;

    public ActivationShape? ActivationShape => inner.ActivationShape;

    public bool HasActivations => inner.HasActivations;

    public bool HasGradients => inner.HasGradients;

    public bool HasLinearHead => inner.HasLinearHead;

    public bool HasSeparableHead => inner.HasSeparableHead;

    public OutputActivation OutputActivation => inner.OutputActivation;

    public int MaxBatch => inner.MaxBatch;

    public int ConcurrentCalls => inner.ConcurrentCalls;

    public bool HasActivationGradientPass => inner.HasActivationGradientPass;

    public ForwardPass Forward(float[] inputs, int batch) => Forward(inputs, batch, CancellationToken.None);

    public ForwardPass Forward(float[] inputs, int batch, CancellationToken cancellation)
    {
        CheckInputs(inputs, batch);
        return forward.Run(new ForwardCall(inputs, batch), cancellation);
    }

    public GradientPass Gradients(float[] inputs, int batch, int[] targets) => Gradients(inputs, batch, targets, AllGradients, CancellationToken.None);

    public GradientPass Gradients(float[] inputs, int batch, int[] targets, SaliencyNeeds wanted, CancellationToken cancellation)
    {
        if (!HasGradients)
        {
            return inner.Gradients(inputs, batch, targets, wanted, cancellation); // throws NotSupportedException with the model's reason
        }

        CheckInputs(inputs, batch);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != batch || Array.Exists(targets, t => t >= Shape.Classes))
        {
            throw new ArgumentException($"Expected {batch} targets below {Shape.Classes}.", nameof(targets));
        }

        var wants = wanted & AllGradients;
        var queue = gradients.GetOrAdd(wants, w => new(Settings.MaxBatch, Settings.MaxQueueDelay, clock, c => c.Batch, calls => RunGradients(calls, w)));
        return queue.Run(new GradientCall(inputs, batch, targets), cancellation);
    }

    public float[] HeadWeights(int targetClass) => inner.HeadWeights(targetClass);

    public float[] HeadLogits(float[] activations, int batch) => inner.HeadLogits(activations, batch);

    private void CheckInputs(float[] inputs, int batch)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (inputs.Length != (long)batch * Shape.ItemSize)
        {
            throw new ArgumentException($"Expected {batch} items of {Shape.ItemSize} values, got {inputs.Length} values.", nameof(inputs));
        }
    }

    private ForwardPass[] RunForward(IReadOnlyList<ForwardCall> calls)
    {
        if (calls is [var only])
        {
            return [inner.Forward(only.Inputs, only.Batch)];
        }

        var pass = inner.Forward(PassSlices.Concat([.. calls.Select(c => c.Inputs)]), calls.Sum(c => c.Batch));
        return Split(calls.Select(c => c.Batch), (start, count) => PassSlices.Forward(pass, start, count, Shape.Classes));
    }

    private GradientPass[] RunGradients(IReadOnlyList<GradientCall> calls, SaliencyNeeds wanted)
    {
        // The batch runs on the leader's thread after every caller in it was taken: no single caller's token applies.
        if (calls is [var only])
        {
            return [inner.Gradients(only.Inputs, only.Batch, only.Targets, wanted, CancellationToken.None)];
        }

        var pass = inner.Gradients(
            PassSlices.Concat([.. calls.Select(c => c.Inputs)]), calls.Sum(c => c.Batch), PassSlices.Concat([.. calls.Select(c => c.Targets)]), wanted,
            CancellationToken.None);
        return Split(calls.Select(c => c.Batch), (start, count) => PassSlices.Gradients(pass, start, count, Shape));
    }

    private static T[] Split<T>(IEnumerable<int> counts, Func<int, int, T> slice)
    {
        var start = 0;
        return [.. counts.Select(count => slice((start += count) - count, count))];
    }

    private const SaliencyNeeds AllGradients = SaliencyNeeds.ActivationGradients | SaliencyNeeds.InputGradients;

    private sealed record ForwardCall(float[] Inputs, int Batch);

    private sealed record GradientCall(float[] Inputs, int Batch, int[] Targets);
}
