using System.Globalization;

namespace RunApi.Bench.Scenarios;

/// <summary>How long the simulator takes per task: fixed (Min == Max) or drawn uniformly from [Min, Max].</summary>
public readonly record struct GenerationRange(TimeSpan Min, TimeSpan Max)
{
    public static GenerationRange Seconds(double min, double max) => new(TimeSpan.FromSeconds(min), TimeSpan.FromSeconds(max));

    public bool IsFixed => Min == Max;

    public TimeSpan Mean => (Min + Max) / 2;

    /// <summary>"3" or "8-12" (seconds, decimals allowed).</summary>
    public static GenerationRange Parse(string text)
    {
        var parts = text.Split('-', 2);
        var min = double.Parse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture);
        var max = parts.Length == 2 ? double.Parse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture) : min;
        if (min < 0 || max < min) throw new FormatException($"'{text}' is not a generation time: give SECONDS or MIN-MAX with 0 <= MIN <= MAX.");
        return Seconds(min, max);
    }

    public override string ToString() => IsFixed
        ? string.Create(CultureInfo.InvariantCulture, $"{Min.TotalSeconds:0.###} s")
        : string.Create(CultureInfo.InvariantCulture, $"{Min.TotalSeconds:0.###}–{Max.TotalSeconds:0.###} s");
}
