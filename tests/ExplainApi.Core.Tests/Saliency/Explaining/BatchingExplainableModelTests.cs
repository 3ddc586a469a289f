using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Tests.Saliency.Explaining;

/// <summary>
/// Dynamic batching across callers, without timing: the queue delay runs on <see cref="ManualTimers"/>, which fire only
/// when the test says so, and callers are known to be queued from <see cref="BatchingExplainableModel.QueuedCalls"/>.
/// </summary>
public class BatchingExplainableModelTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(2);

    /// <summary>Only so that a broken batcher fails instead of hanging; never a measurement.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Queued_callers_run_as_one_call_once_the_batch_is_full_and_each_gets_its_own_items_in_order()
    {
        var inner = new RecordingModel();
        var timers = new ManualTimers();
        var model = new BatchingExplainableModel(inner, new BatchingSettings(4, Delay), timers);
        var (a, b, c) = (Images(1), Images(2, 3), Images(4));

        var first = Task.Run(() => model.Forward(a, 1));
        WaitUntil(() => timers.Created == 1);
        var second = Task.Run(() => model.Forward(b, 2));
        WaitUntil(() => model.QueuedCalls == 2);
        var third = Task.Run(() => model.Forward(c, 1)); // 4 items: the batch runs without the timer

        var results = await Task.WhenAll(first, second, third).WaitAsync(Bound);
        Assert.Equal([4], inner.ForwardBatches);
        AssertSame(new TwoBlobModel().Forward(a, 1), results[0]);
        AssertSame(new TwoBlobModel().Forward(b, 2), results[1]);
        AssertSame(new TwoBlobModel().Forward(c, 1), results[2]);
    }

    [Fact]
    public async Task Concurrent_gradient_callers_keep_their_own_targets()
    {
        var inner = new RecordingModel();
        var timers = new ManualTimers();
        var model = new BatchingExplainableModel(inner, new BatchingSettings(3, Delay), timers);
        var (a, b) = (Images(5), Images(6, 7));

        var first = Task.Run(() => model.Gradients(a, 1, [1]));
        WaitUntil(() => timers.Created == 1);
        var second = Task.Run(() => model.Gradients(b, 2, [0, -1]));

        var results = await Task.WhenAll(first, second).WaitAsync(Bound);
        Assert.Equal([3], inner.GradientBatches);
        AssertSame(new TwoBlobModel().Gradients(a, 1, [1]), results[0]);
        AssertSame(new TwoBlobModel().Gradients(b, 2, [0, -1]), results[1]);
    }

    [Fact]
    public void Many_concurrent_callers_each_get_exactly_their_own_results()
    {
        var model = new BatchingExplainableModel(new RecordingModel(), new BatchingSettings(5, TimeSpan.Zero));
        var reference = new TwoBlobModel();

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            var images = i % 3 == 0 ? Images(i, i + 100) : Images(i);
            var batch = images.Length / TwoBlobModel.C / TwoBlobModel.Size / TwoBlobModel.Size;
            AssertSame(reference.Forward(images, batch), model.Forward(images, batch));
            int[] targets = [.. Enumerable.Range(0, batch).Select(n => (i + n) % 3 - 1)];
            AssertSame(reference.Gradients(images, batch, targets), model.Gradients(images, batch, targets));
        });
    }

    [Fact]
    public async Task A_lone_caller_waits_for_the_queue_delay_and_no_longer()
    {
        var inner = new RecordingModel();
        var timers = new ManualTimers();
        var model = new BatchingExplainableModel(inner, new BatchingSettings(8, Delay), timers);

        var call = Task.Run(() => model.Forward(Images(1), 1));
        WaitUntil(() => timers.Created == 1);
        Assert.False(call.IsCompleted);
        Assert.Equal(Delay, timers.DueTimes.Single());
        timers.FireAll();

        await call.WaitAsync(Bound);
        Assert.Equal([1], inner.ForwardBatches);
    }

    [Fact]
    public void A_call_larger_than_the_batch_runs_at_once_and_alone()
    {
        var inner = new RecordingModel();
        var model = new BatchingExplainableModel(inner, new BatchingSettings(2, Delay), new ManualTimers());

        var pass = model.Forward(Images(1, 2, 3), 3); // the timer never fires: only a full queue lets it run

        AssertSame(new TwoBlobModel().Forward(Images(1, 2, 3), 3), pass);
        Assert.Equal([3], inner.ForwardBatches);
    }

    [Fact]
    public async Task An_error_of_the_batched_call_reaches_every_caller_in_it()
    {
        var inner = new RecordingModel { Failure = new NonFiniteModelOutputException("NaN logits") };
        var timers = new ManualTimers();
        var model = new BatchingExplainableModel(inner, new BatchingSettings(2, Delay), timers);

        var first = Task.Run(() => model.Forward(Images(1), 1));
        WaitUntil(() => timers.Created == 1);
        var second = Task.Run(() => model.Forward(Images(2), 1));

        Assert.Equal("NaN logits", (await Assert.ThrowsAsync<NonFiniteModelOutputException>(() => first.WaitAsync(Bound))).Message);
        Assert.Equal("NaN logits", (await Assert.ThrowsAsync<NonFiniteModelOutputException>(() => second.WaitAsync(Bound))).Message);
        Assert.Equal([2], inner.ForwardBatches);
    }

    [Fact]
    public async Task A_caller_cancelled_while_queued_leaves_the_queue_and_is_never_run()
    {
        var inner = new RecordingModel();
        var timers = new ManualTimers();
        var model = new BatchingExplainableModel(inner, new BatchingSettings(3, Delay), timers);
        using var leaving = new CancellationTokenSource();

        var first = Task.Run(() => model.Forward(Images(1), 1));
        WaitUntil(() => timers.Created == 1);
        var cancelled = Task.Run(() => model.Forward(Images(2), 1, leaving.Token));
        WaitUntil(() => model.QueuedCalls == 2);
        leaving.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Bound));
        Assert.Equal(1, model.QueuedCalls);
        var third = Task.Run(() => model.Forward(Images(3), 1)); // 2 items queued: not full, waits for the timer
        WaitUntil(() => model.QueuedCalls == 2);
        timers.FireAll();

        await Task.WhenAll(first, third).WaitAsync(Bound);
        Assert.Equal([2], inner.ForwardBatches);
        Assert.DoesNotContain(inner.Seen, image => image.SequenceEqual(Images(2)));
    }

    [Fact]
    public async Task A_leader_cancelled_while_waiting_hands_the_queue_to_the_next_caller()
    {
        var inner = new RecordingModel();
        var timers = new ManualTimers();
        var model = new BatchingExplainableModel(inner, new BatchingSettings(3, Delay), timers);
        using var leaving = new CancellationTokenSource();

        var leader = Task.Run(() => model.Forward(Images(1), 1, leaving.Token));
        WaitUntil(() => timers.Created == 1);
        var follower = Task.Run(() => model.Forward(Images(2), 1));
        WaitUntil(() => model.QueuedCalls == 2);
        leaving.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leader.WaitAsync(Bound));
        WaitUntil(() => timers.Created == 2); // the follower leads now
        timers.FireAll();

        var pass = await follower.WaitAsync(Bound);
        Assert.Equal([1], inner.ForwardBatches);
        AssertSame(new TwoBlobModel().Forward(Images(2), 1), pass);
    }

    [Fact]
    public void A_bad_call_fails_alone_before_it_queues()
    {
        var model = new BatchingExplainableModel(new RecordingModel(), new BatchingSettings(4, Delay), new ManualTimers());

        Assert.Throws<ArgumentException>(() => model.Forward(new float[7], 1));
        Assert.Throws<ArgumentException>(() => model.Gradients(Images(1), 1, [TwoBlobModel.Classes]));
        Assert.Equal(0, model.QueuedCalls);
    }

    private static float[] Images(params int[] seeds) => [.. seeds.SelectMany(TwoBlobModel.Image)];

    private static void WaitUntil(Func<bool> condition) =>
        Assert.True(SpinWait.SpinUntil(condition, Bound), "The batcher never reached the expected state.");

    private static void AssertSame(ForwardPass expected, ForwardPass actual)
    {
        Assert.Equal(expected.Logits, actual.Logits);
        Assert.Equal(expected.Activations, actual.Activations);
    }

    private static void AssertSame(GradientPass expected, GradientPass actual)
    {
        Assert.Equal(expected.Targets, actual.Targets);
        Assert.Equal(expected.Logits, actual.Logits);
        Assert.Equal(expected.ActivationGradients, actual.ActivationGradients);
        Assert.Equal(expected.InputGradients, actual.InputGradients);
    }

    /// <summary>A <see cref="TwoBlobModel"/> that records, thread-safely, every batch and image it is given, and can fail.</summary>
    private sealed class RecordingModel : IExplainableModel
    {
        private readonly TwoBlobModel model = new(maxBatch: 4);
        private readonly Lock gate = new();

        public List<int> ForwardBatches { get; } = [];

        public List<int> GradientBatches { get; } = [];

        public List<float[]> Seen { get; } = [];

        public Exception? Failure { get; init; }

        public ModelShape Shape => model.Shape;

        public string? TargetLayer => model.TargetLayer;

        public bool HasActivations => true;

        public bool HasGradients => true;

        public bool HasLinearHead => true;

        public bool HasSeparableHead => true;

        public int MaxBatch => model.MaxBatch;

        public ForwardPass Forward(float[] inputs, int batch) => Record(ForwardBatches, inputs, batch, () => model.Forward(inputs, batch));

        public GradientPass Gradients(float[] inputs, int batch, int[] targets) =>
            Record(GradientBatches, inputs, batch, () => model.Gradients(inputs, batch, targets));

        public float[] HeadWeights(int targetClass) => model.HeadWeights(targetClass);

        public float[] HeadLogits(float[] activations, int batch) => model.HeadLogits(activations, batch);

        private T Record<T>(List<int> batches, float[] inputs, int batch, Func<T> pass)
        {
            lock (gate)
            {
                batches.Add(batch);
                Seen.AddRange(inputs.Chunk(Shape.ItemSize));
                return Failure is null ? pass() : throw Failure;
            }
        }
    }

    /// <summary>Timers that fire only on <see cref="FireAll"/>: the queue delay passes when the test says so.</summary>
    private sealed class ManualTimers : TimeProvider
    {
        private readonly Lock gate = new();
        private readonly List<(TimerCallback Callback, object? State, TimeSpan Due)> timers = [];

        public int Created
        {
            get
            {
                lock (gate)
                {
                    return timers.Count;
                }
            }
        }

        public IReadOnlyList<TimeSpan> DueTimes
        {
            get
            {
                lock (gate)
                {
                    return [.. timers.Select(t => t.Due)];
                }
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (gate)
            {
                timers.Add((callback, state, dueTime));
            }

            return new Unfired();
        }

        public void FireAll()
        {
            lock (gate)
            {
                timers.ForEach(t => t.Callback(t.State));
            }
        }

        private sealed class Unfired : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
