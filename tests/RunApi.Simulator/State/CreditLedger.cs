namespace RunApi.Simulator.State;

/// <summary>The account's money: the balance and what has been spent, per UTC day and in total.</summary>
internal sealed class CreditLedger(long startingBalanceCents)
{
    private readonly object _gate = new();
    private readonly Dictionary<DateOnly, long> _spentByDay = new();
    private long _balance = startingBalanceCents;
    private long _spentTotal;

    public long BalanceCents
    {
        get
        {
            lock (_gate)
            {
                return _balance;
            }
        }

        set
        {
            lock (_gate)
            {
                _balance = value;
            }
        }
    }

    /// <summary>Deducts <paramref name="cents"/> if the balance covers it.</summary>
    public bool TryReserve(long cents, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_balance < cents)
            {
                return false;
            }

            _balance -= cents;
            _spentTotal += cents;
            var day = DateOnly.FromDateTime(at.UtcDateTime);
            _spentByDay[day] = _spentByDay.GetValueOrDefault(day) + cents;
            return true;
        }
    }

    /// <summary>Gives back a reservation made at <paramref name="reservedAt"/>.</summary>
    public void Refund(long cents, DateTimeOffset reservedAt)
    {
        lock (_gate)
        {
            _balance += cents;
            _spentTotal -= cents;
            var day = DateOnly.FromDateTime(reservedAt.UtcDateTime);
            _spentByDay[day] = _spentByDay.GetValueOrDefault(day) - cents;
        }
    }

    public (long Balance, long SpentToday, long SpentTotal) Snapshot(DateTimeOffset now)
    {
        lock (_gate)
        {
            return (_balance, _spentByDay.GetValueOrDefault(DateOnly.FromDateTime(now.UtcDateTime)), _spentTotal);
        }
    }
}
