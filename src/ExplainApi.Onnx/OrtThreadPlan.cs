using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Onnx;

/// <summary>
/// How ONNX Runtime shares the cores among concurrent runs: each session computes a node with <see cref="IntraOpThreads"/>
/// threads (ORT's default is one per core), at most <see cref="MaxConcurrentRuns"/> runs compute at once in the process
/// (<see cref="OrtRunSlots"/>), so that threads × runs ≤ cores instead of every run taking every core. Nodes run one at a
/// time (one inter-op thread); <see cref="AllowSpinning"/> off makes idle intra-op threads sleep instead of spinning: on
/// cores shared with HTTP, decoding and other runs a spinning thread steals the core its peer needs (measured in
/// docs/benchmarks.md: off doubled forward + backward throughput on the loaded 2-core machine).
/// </summary>
public sealed record OrtThreadPlan(int IntraOpThreads, int MaxConcurrentRuns, bool AllowSpinning)
{
    /// <summary>The plan for <paramref name="cores"/> cores and <paramref name="maxConcurrentRuns"/> runs: ⌊cores / runs⌋ threads each.</summary>
    public static OrtThreadPlan For(int cores, int maxConcurrentRuns, bool allowSpinning = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cores);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConcurrentRuns);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxConcurrentRuns, cores);
        return new OrtThreadPlan(cores / maxConcurrentRuns, maxConcurrentRuns, allowSpinning);
    }

    /// <summary>Threads that may compute at once: <see cref="IntraOpThreads"/> × <see cref="MaxConcurrentRuns"/>.</summary>
    public int Threads => IntraOpThreads * MaxConcurrentRuns;

    internal void Apply(SessionOptions options)
    {
        options.IntraOpNumThreads = IntraOpThreads;
        options.InterOpNumThreads = 1;
        options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", AllowSpinning ? "1" : "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
    }
}

/// <summary>The process-wide limit of concurrent ONNX Runtime runs of an <see cref="OrtThreadPlan"/>; a run beyond it waits (FIFO is not promised).</summary>
public sealed class OrtRunSlots(int maxConcurrentRuns) : IDisposable
{
    private readonly SemaphoreSlim slots = new(maxConcurrentRuns, maxConcurrentRuns);

    public int MaxConcurrentRuns => maxConcurrentRuns;

    /// <summary>Blocks until a slot is free; dispose the result to free it.</summary>
    public Slot Enter()
    {
        slots.Wait();
        return new Slot(slots);
    }

    public void Dispose() => slots.Dispose();

    public readonly struct Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
