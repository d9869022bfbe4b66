namespace AgentAspire.AgentState.Batching;

/// <summary>
/// Sends items in batches without waiting for a batch to fill: the first item goes at once, and the items added while
/// a batch is in flight go together in the next. Idle, every item goes alone and is delayed by nothing; under load one
/// command carries the items of many callers. Each caller's task completes when the batch that carried its item did.
/// </summary>
/// <typeparam name="T">One caller's item.</typeparam>
internal sealed class Coalescer<T>(Func<IReadOnlyList<T>, Task> send)
{
    private readonly Lock _gate = new();
    private List<T> _pending = [];
    private TaskCompletionSource _next = NewBatch();
    private bool _sending;

    /// <summary>Adds an item to the next batch; completes once that batch was sent, or fails with it.</summary>
    public Task AddAsync(T item)
    {
        TaskCompletionSource batch;
        lock (_gate)
        {
            _pending.Add(item);
            batch = _next;
            if (_sending)
            {
                return batch.Task;
            }

            _sending = true;
        }

        _ = SendAllAsync();
        return batch.Task;
    }

    private async Task SendAllAsync()
    {
        while (true)
        {
            List<T> items;
            TaskCompletionSource batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _sending = false;
                    return;
                }

                (items, _pending) = (_pending, []);
                (batch, _next) = (_next, NewBatch());
            }

            try
            {
                await send(items).ConfigureAwait(false);
                batch.SetResult();
            }
            catch (Exception ex)
            {
                // Every caller of the batch hears the failure; the next batch is sent all the same.
                batch.SetException(ex);
            }
        }
    }

    // Continuations run elsewhere, so a caller's code never runs inside the send loop.
    private static TaskCompletionSource NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
