using RunApi.Simulator.State;

namespace RunApi.Simulator;

/// <summary>The simulator's scripted faults. Rules are checked in the order added; the first that fires wins.</summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = new();
    private readonly SimRandom _random;

    internal FaultInjector(SimRandom random)
    {
        _random = random;
    }

    /// <summary>Adds a rule after the existing ones and returns it (to read <see cref="FaultRule.FiredCount"/> later).</summary>
    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>The rule that fires on this request, if any. One lock makes "at most N times" exact under concurrency.</summary>
    internal FaultRule? Match(string method, string path)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.TryClaim(method, path, _random.NextDouble))
                {
                    return rule;
                }
            }
        }

        return null;
    }
}
