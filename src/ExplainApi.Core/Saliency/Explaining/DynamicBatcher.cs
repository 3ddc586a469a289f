using System.Runtime.ExceptionServices;

namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// Dynamic batching across callers, as Triton's dynamic batcher: calls queue in arrival order; the first caller leads,
/// waits at most <c>maxDelay</c> (not at all once <c>maxItems</c> items are queued) and then runs the queue's head, up to
/// <c>maxItems</c> items (a larger call alone), as one <c>run</c> on its own thread, then gives each caller its result.
/// Leadership passes to the next queued caller before the batch runs, so the next batch gathers meanwhile. No extra
/// thread and no spinning: callers block on their own event. A caller cancelled while queued leaves the queue and
/// never runs; once its batch is taken it waits for it. An exception of <c>run</c> is every caller's in that batch.
/// </summary>
internal sealed class DynamicBatcher<TCall, TResult>(
    int maxItems, TimeSpan maxDelay, TimeProvider clock, Func<TCall, int> itemsOf, Func<IReadOnlyList<TCall>, IReadOnlyList<TResult>> run)
{
    private readonly Lock gate = new();
    private readonly LinkedList<Waiter> queue = new();
    private Waiter? leader;
    private bool leading;
    private int queuedItems;

    /// <summary>Calls waiting for a batch (the leader's included).</summary>
    public int Queued
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    public TResult Run(TCall call, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var waiter = new Waiter(call, itemsOf(call));
        bool leads;
        lock (gate)
        {
            waiter.Node = queue.AddLast(waiter);
            queuedItems += waiter.Items;
            leads = !leading;
            leading = true;
            if (queuedItems >= maxItems)
            {
                leader?.Wake.Set();
            }
        }

        if (leads || Follow(waiter, cancellation))
        {
            Lead(waiter, cancellation);
        }

        if (waiter.Error is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return waiter.Result!;
    }

    /// <returns>True when the waiter was promoted to lead; false once its batch ran.</returns>
    private bool Follow(Waiter waiter, CancellationToken cancellation)
    {
        try
        {
            waiter.Signal.Wait(cancellation);
        }
        catch (OperationCanceledException)
        {
            lock (gate)
            {
                if (waiter.State == WaiterState.Queued)
                {
                    Remove(waiter);
                    throw;
                }
            }

            waiter.Signal.Wait(CancellationToken.None); // taken into a batch (it runs anyway) or promoted (Lead sees the token)
        }

        return waiter.State == WaiterState.Promoted;
    }

    private void Lead(Waiter self, CancellationToken cancellation)
    {
        List<Waiter> batch;
        try
        {
            lock (gate)
            {
                leader = self;
                if (queuedItems >= maxItems)
                {
                    self.Wake.Set();
                }
            }

            using (clock.CreateTimer(static wake => ((ManualResetEventSlim)wake!).Set(), self.Wake, maxDelay, Timeout.InfiniteTimeSpan))
            {
                self.Wake.Wait(cancellation);
            }
        }
        catch (OperationCanceledException)
        {
            lock (gate)
            {
                Remove(self);
                HandOver();
            }

            throw;
        }

        lock (gate)
        {
            batch = Take();
            HandOver();
        }

        Execute(batch);
    }

    /// <summary>The queue's head up to <c>maxItems</c> items, in order; always at least the first call.</summary>
    private List<Waiter> Take()
    {
        var batch = new List<Waiter>();
        var items = 0;
        while (queue.First is { } node && (batch.Count == 0 || items + node.Value.Items <= maxItems))
        {
            var waiter = node.Value;
            Remove(waiter);
            waiter.State = WaiterState.Taken;
            items += waiter.Items;
            batch.Add(waiter);
        }

        return batch;
    }

    private void HandOver()
    {
        leader = null;
        if (queue.First?.Value is { } next)
        {
            next.State = WaiterState.Promoted;
            next.Signal.Set();
        }
        else
        {
            leading = false;
        }
    }

    private void Remove(Waiter waiter)
    {
        queue.Remove(waiter.Node!);
        queuedItems -= waiter.Items;
    }

    private void Execute(List<Waiter> batch)
    {
        try
        {
            var results = run([.. batch.Select(w => w.Call)]);
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"A batch of {batch.Count} calls returned {results.Count} results.");
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result = results[i];
            }
        }
        catch (Exception exception)
        {
            batch.ForEach(w => w.Error = exception);
        }

        foreach (var waiter in batch)
        {
            waiter.State = WaiterState.Done;
            waiter.Signal.Set();
        }
    }

    private enum WaiterState
    {
        Queued,
        Promoted,
        Taken,
        Done,
    }

    private sealed class Waiter(TCall call, int items)
    {
        public TCall Call { get; } = call;

        public int Items { get; } = items;

        public LinkedListNode<Waiter>? Node { get; set; }

        private volatile WaiterState state;

        public WaiterState State
        {
            get => state;
            set => state = value;
        }

        /// <summary>Set when the waiter is promoted to lead or its batch is done (no spinning before blocking).</summary>
        public ManualResetEventSlim Signal { get; } = new(false, 0);

        /// <summary>Set when the leader should stop waiting: the queue is full or the delay has passed.</summary>
        public ManualResetEventSlim Wake { get; } = new(false, 0);

        public TResult? Result { get; set; }

        public Exception? Error { get; set; }
    }
}
