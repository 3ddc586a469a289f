using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Explaining;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>Which model passes a request runs (issue 11): one gradient pass for gradient methods, only the gradients they read.</summary>
public sealed class SaliencyRunnerTests
{
    private static readonly float[][] Images = [[.. Enumerable.Range(0, 16).Select(i => i / 16f)], [.. Enumerable.Range(0, 16).Select(i => -i / 16f)]];

    [Fact]
    public void The_gradient_CAMs_run_one_gradient_pass_for_activation_gradients_only_and_no_forward()
    {
        var model = new CountingModel();

        var run = SaliencyRunner.Run(model, Images, [Method("gradcam"), Method("layercam")], null, SaliencyOptions.Default);

        Assert.Equal((0, 0), (model.Forwards, model.FullGradients));
        Assert.Equal([SaliencyNeeds.ActivationGradients], model.Wanted);
        Assert.Equal([0, 1], run.Images.Select(i => i.TargetClass)); // predicted: the first image sums positive, the second negative
        Assert.All(run.Images, i => Assert.Equal(2, i.Maps.Count));
        Assert.Equal(0, run.ForwardMilliseconds);
    }

    [Fact]
    public void A_method_reading_input_gradients_asks_for_both_and_a_requested_class_is_differentiated()
    {
        var model = new CountingModel();

        var run = SaliencyRunner.Run(model, Images, [Method("gradcam"), Method("gradient")], 1, SaliencyOptions.Default);

        Assert.Equal(0, model.Forwards);
        Assert.Equal([SaliencyNeeds.ActivationGradients | SaliencyNeeds.InputGradients], model.Wanted);
        Assert.Equal([1, 1], run.Images.Select(i => i.TargetClass));
        Assert.All(run.Images, i => Assert.Equal(2, i.Maps.Count));
    }

    [Fact]
    public void Forward_only_methods_run_one_forward_and_no_gradient_pass()
    {
        var model = new CountingModel();

        SaliencyRunner.Run(model, Images, [Method("cam")], null, SaliencyOptions.Default);

        Assert.Equal(1, model.Forwards);
        Assert.Empty(model.Wanted);
    }

    [Fact]
    public void A_gradient_pass_without_activations_adds_one_forward_and_is_not_run_again()
    {
        var model = new CountingModel(gradientsCarryActivations: false);

        var run = SaliencyRunner.Run(model, Images, [Method("gradient"), Method("cam")], null, SaliencyOptions.Default);

        Assert.Equal(1, model.Forwards);
        Assert.Equal([SaliencyNeeds.InputGradients], model.Wanted);
        Assert.Equal([0, 1], run.Images.Select(i => i.TargetClass));
        Assert.All(run.Images, i => Assert.Equal(2, i.Maps.Count));
    }

    private static ISaliencyMethod Method(string name) => SaliencyMethods.TryGet(name, out var method) ? method : throw new ArgumentException(name);

    /// <summary>1×4×4 images; A = the image; logits (Σx, −Σx); a GAP → linear head W = [[1], [−1]]; counts every pass.</summary>
    private sealed class CountingModel(bool gradientsCarryActivations = true) : IExplainableModel
    {
        public int Forwards { get; private set; }

        public int FullGradients { get; private set; }

        public List<SaliencyNeeds> Wanted { get; } = [];

        public ModelShape Shape => new(1, 4, 4, 2);

        public string? TargetLayer => "image";

        public ActivationShape? ActivationShape => new ActivationShape(1, 4, 4);

        public bool HasActivations => true;

        public bool HasGradients => true;

        public bool HasLinearHead => true;

        public bool HasSeparableHead => false;

        public int MaxBatch => 8;

        public ForwardPass Forward(float[] inputs, int batch)
        {
            Forwards++;
            return new ForwardPass(Logits(inputs, batch), inputs, ActivationShape);
        }

        public GradientPass Gradients(float[] inputs, int batch, int[] targets)
        {
            FullGradients++;
            return Pass(inputs, batch, targets, withInput: true);
        }

        public GradientPass Gradients(float[] inputs, int batch, int[] targets, SaliencyNeeds wanted, CancellationToken cancellation)
        {
            Wanted.Add(wanted);
            return Pass(inputs, batch, targets, (wanted & SaliencyNeeds.InputGradients) != 0);
        }

        public float[] HeadWeights(int targetClass) => [targetClass == 0 ? 1f : -1f];

        public float[] HeadLogits(float[] activations, int batch) => throw new NotSupportedException();

        private GradientPass Pass(float[] inputs, int batch, int[] targets, bool withInput)
        {
            var logits = Logits(inputs, batch);
            int[] resolved = [.. targets.Select((t, n) => t >= 0 ? t : logits[2 * n] >= logits[(2 * n) + 1] ? 0 : 1)];
            float[] gradients = [.. Enumerable.Range(0, inputs.Length).Select(i => resolved[i / 16] == 0 ? 1f : -1f)];
            return gradientsCarryActivations
                ? new GradientPass(logits, resolved, inputs, gradients, ActivationShape, withInput ? gradients : [])
                : new GradientPass(logits, resolved, null, null, null, withInput ? gradients : []);
        }

        private static float[] Logits(float[] inputs, int batch) =>
            [.. Enumerable.Range(0, batch).SelectMany(n => { var sum = inputs.AsSpan(n * 16, 16).ToArray().Sum(); return new[] { sum, -sum }; })];
    }
}
