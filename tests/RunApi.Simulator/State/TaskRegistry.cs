namespace RunApi.Simulator.State;

/// <summary>What became of a create request.</summary>
internal enum CreateOutcome
{
    Created,
    Replayed,
    Conflict,
    InsufficientCredits,
}

/// <summary>
/// The accepted tasks, the Idempotency-Key memory and the refunds of failed tasks. One lock covers the
/// check-reserve-create sequence, so two concurrent creates with one key can never make two tasks or two charges.
/// </summary>
internal sealed class TaskRegistry(CreditLedger ledger)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SimulatedTask> _byId = new(StringComparer.Ordinal);
    private readonly List<SimulatedTask> _inOrder = new();
    private readonly Dictionary<IdempotencyScope, (string CanonicalBody, SimulatedTask Task)> _byKey = new();
    private readonly List<SimulatedTask> _awaitingRefund = new();

    /// <summary>
    /// Replays, rejects or creates. <paramref name="createTask"/> runs only when a new task is accepted and paid for.
    /// </summary>
    public (CreateOutcome Outcome, SimulatedTask? Task) CreateOrReplay(
        IdempotencyScope? scope, string canonicalBody, long priceCents, DateTimeOffset now, Func<SimulatedTask> createTask)
    {
        lock (_gate)
        {
            SettleRefundsLocked(now);
            if (scope is { } key && _byKey.TryGetValue(key, out var earlier))
            {
                if (earlier.CanonicalBody != canonicalBody)
                {
                    return (CreateOutcome.Conflict, null);
                }

                earlier.Task.CountReplay();
                return (CreateOutcome.Replayed, earlier.Task);
            }

            if (!ledger.TryReserve(priceCents, now))
            {
                return (CreateOutcome.InsufficientCredits, null);
            }

            var task = createTask();
            _byId.Add(task.Id, task);
            _inOrder.Add(task);
            if (scope is { } newKey)
            {
                _byKey[newKey] = (canonicalBody, task);
            }

            if (task.WillFail)
            {
                _awaitingRefund.Add(task);
            }

            return (CreateOutcome.Created, task);
        }
    }

    public SimulatedTask? Find(string id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<SimulatedTask> Snapshot()
    {
        lock (_gate)
        {
            return _inOrder.ToArray();
        }
    }

    /// <summary>
    /// Refunds every failed task whose failure time has passed. Called before anything that shows a task or the
    /// balance, so a refund is visible as soon as the failure is; each task is refunded once.
    /// </summary>
    public void SettleRefunds(DateTimeOffset now)
    {
        lock (_gate)
        {
            SettleRefundsLocked(now);
        }
    }

    private void SettleRefundsLocked(DateTimeOffset now)
    {
        for (var i = _awaitingRefund.Count - 1; i >= 0; i--)
        {
            var task = _awaitingRefund[i];
            if (now >= task.CompletesAt && task.TryMarkRefunded())
            {
                ledger.Refund(task.PriceCents, task.CreatedAt);
                _awaitingRefund.RemoveAt(i);
            }
        }
    }
}

/// <summary>Idempotency keys are remembered per API key and endpoint (contract §6).</summary>
internal readonly record struct IdempotencyScope(string ApiKey, string Endpoint, string Key);
