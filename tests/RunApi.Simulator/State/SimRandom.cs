using System.Security.Cryptography;

namespace RunApi.Simulator.State;

/// <summary>
/// The simulator's one source of randomness (ids, generation-time draws, fault probabilities). Seeded when
/// <see cref="SimulatorOptions.RandomSeed"/> is set; locked because requests arrive on many threads.
/// </summary>
internal sealed class SimRandom
{
    private readonly object _gate = new();
    private readonly Random _random;

    public SimRandom(int? seed)
    {
        _random = seed is int s ? new Random(s) : new Random(RandomNumberGenerator.GetInt32(int.MaxValue));
    }

    public double NextDouble()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>Lowercase hex of <paramref name="byteCount"/> random bytes.</summary>
    public string NextHex(int byteCount)
    {
        var bytes = new byte[byteCount];
        lock (_gate)
        {
            _random.NextBytes(bytes);
        }

        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>A uniform draw in [min, max].</summary>
    public TimeSpan NextBetween(TimeSpan min, TimeSpan max)
    {
        if (max <= min)
        {
            return min;
        }

        return min + TimeSpan.FromTicks((long)(NextDouble() * (max - min).Ticks));
    }
}
