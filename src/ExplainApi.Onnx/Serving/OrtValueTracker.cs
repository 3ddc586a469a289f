using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Onnx.Serving;

/// <summary>
/// Counts the native ONNX Runtime values (inputs we create, outputs a run returns) that are alive, so a test can
/// prove that requests, failed ones included, leave none behind. One tracker per session cache; every
/// <see cref="OrtValue"/> the serving code creates goes through <see cref="Input"/> or <see cref="Run"/>, so every run also
/// takes one of the thread plan's <paramref name="runs"/> (when given) for its duration.
/// </summary>
public sealed class OrtValueTracker(OrtRunSlots? runs = null)
{
    private long created;
    private long disposed;

    /// <summary>Runs that may compute at once under the thread plan (1 without one).</summary>
    public int ConcurrentRuns => runs?.MaxConcurrentRuns ?? 1;

    /// <summary>Values created and not yet disposed.</summary>
    public long Live => Interlocked.Read(ref created) - Interlocked.Read(ref disposed);

    /// <summary>Values created so far.</summary>
    public long Created => Interlocked.Read(ref created);

    /// <summary>A float32 tensor over <paramref name="data"/> (pinned, not copied).</summary>
    public TrackedValues Input(float[] data, long[] shape) => Track([OrtValue.CreateTensorValueFromMemory(data, shape)]);

    /// <summary>An int64 tensor over <paramref name="data"/>.</summary>
    public TrackedValues Input(long[] data, long[] shape) => Track([OrtValue.CreateTensorValueFromMemory(data, shape)]);

    /// <summary>Runs <paramref name="session"/>; the outputs are counted until the returned collection is disposed.</summary>
    public TrackedValues Run(InferenceSession session, IReadOnlyList<string> inputNames, IReadOnlyList<OrtValue> inputs, IReadOnlyList<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var options = new RunOptions();
        IDisposableReadOnlyCollection<OrtValue> results;
        using (runs?.Enter())
        {
            results = session.Run(options, inputNames, inputs, outputNames);
        }

        Interlocked.Add(ref created, results.Count);
        return new TrackedValues(this, [.. results], results);
    }

    private TrackedValues Track(OrtValue[] values)
    {
        Interlocked.Add(ref created, values.Length);
        return new TrackedValues(this, values, null);
    }

    private void Release(int count) => Interlocked.Add(ref disposed, count);

    /// <summary>Values that are disposed together (and counted as disposed) when this is disposed.</summary>
    public sealed class TrackedValues : IDisposable
    {
        private readonly OrtValueTracker owner;
        private readonly IDisposable? collection;
        private int released;

        internal TrackedValues(OrtValueTracker owner, IReadOnlyList<OrtValue> values, IDisposable? collection) =>
            (this.owner, Values, this.collection) = (owner, values, collection);

        public IReadOnlyList<OrtValue> Values { get; }

        public OrtValue this[int index] => Values[index];

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 1)
            {
                return;
            }

            if (collection is not null)
            {
                collection.Dispose();
            }
            else
            {
                foreach (var value in Values)
                {
                    value.Dispose();
                }
            }

            owner.Release(Values.Count);
        }
    }
}
