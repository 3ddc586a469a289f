using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Tests.Saliency.Explaining;

/// <summary>A cancelled token stops every batched loop before its next model call (the client left, the host stops).</summary>
public class CancellationTests
{
    private static readonly SaliencyOptions Options = new() { RiseMasks = 7, SmoothGradSamples = 6, IntegratedGradientsSteps = 6 };

    [Theory]
    [InlineData("rise")]
    [InlineData("occlusion")]
    [InlineData("scorecam")]
    [InlineData("ablationcam")]
    [InlineData("smoothgrad")]
    [InlineData("integratedgradients")]
    public void A_token_cancelled_during_a_batch_stops_the_method_before_the_next_model_call(string name)
    {
        Assert.True(SaliencyMethods.TryGet(name, out var method));
        var uncancelled = new CancellingModel(new TwoBlobModel(maxBatch: 1), cancelAfter: int.MaxValue);
        method.Compute(new ExplanationContext(uncancelled, TwoBlobModel.Image(), 0, Options, uncancelled.Token));
        Assert.True(uncancelled.Calls > 2, $"{name} makes only {uncancelled.Calls} model calls; the test needs more.");

        var model = new CancellingModel(new TwoBlobModel(maxBatch: 1), cancelAfter: 2);
        Assert.ThrowsAny<OperationCanceledException>(() => method.Compute(new ExplanationContext(model, TwoBlobModel.Image(), 0, Options, model.Token)));

        Assert.Equal(2, model.Calls);
    }

    [Fact]
    public void A_cancelled_forward_context_makes_no_more_forward_calls()
    {
        using var cancellation = new CancellationTokenSource();
        var calls = 0;
        var context = new ForwardContext(1, 2, 2, 2, (_, batch) =>
        {
            if (++calls == 3)
            {
                cancellation.Cancel();
            }

            return new float[batch * 2];
        }, maxBatch: 2, cancellation.Token);

        Assert.ThrowsAny<OperationCanceledException>(() => context.TargetProbabilities(20, 0, (_, _) => { }));

        Assert.Equal(3, calls); // of the 10 batches
    }

    /// <summary>Counts Forward, Gradients and HeadLogits calls and cancels its token after <paramref name="cancelAfter"/> of them.</summary>
    private sealed class CancellingModel(IExplainableModel model, int cancelAfter) : IExplainableModel
    {
        private readonly CancellationTokenSource source = new();

        public CancellationToken Token => source.Token;

        public int Calls { get; private set; }

        public ModelShape Shape => model.Shape;

        public string? TargetLayer => model.TargetLayer;

        public bool HasActivations => model.HasActivations;

        public bool HasGradients => model.HasGradients;

        public bool HasLinearHead => model.HasLinearHead;

        public bool HasSeparableHead => model.HasSeparableHead;

        public int MaxBatch => model.MaxBatch;

        public ForwardPass Forward(float[] inputs, int batch) => Count(model.Forward(inputs, batch));

        public GradientPass Gradients(float[] inputs, int batch, int[] targets) => Count(model.Gradients(inputs, batch, targets));

        public float[] HeadWeights(int targetClass) => model.HeadWeights(targetClass);

        public float[] HeadLogits(float[] activations, int batch) => Count(model.HeadLogits(activations, batch));

        private T Count<T>(T result)
        {
            if (++Calls == cancelAfter)
            {
                source.Cancel();
            }

            return result;
        }
    }
}
