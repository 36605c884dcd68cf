using System.Globalization;

namespace RunApi.Bench.Reporting;

/// <summary>Number formats of the table (invariant culture, units spelled out).</summary>
public static class Format
{
    public const string None = "–";

    public static string Seconds(TimeSpan? value, string digits = "0.00") =>
        value is { } v ? v.TotalSeconds.ToString(digits, CultureInfo.InvariantCulture) + " s" : None;

    public static string Number(double? value, string digits = "0.00") =>
        value is { } v ? v.ToString(digits, CultureInfo.InvariantCulture) : None;

    public static string Milliseconds(double? value, string digits = "0.0") =>
        value is { } v ? v.ToString(digits, CultureInfo.InvariantCulture) + " ms" : None;

    /// <summary>Decimal megabytes (10^6 bytes), the unit of the memory target.</summary>
    public static string Megabytes(long bytes) => (bytes / 1e6).ToString("0", CultureInfo.InvariantCulture) + " MB";

    /// <summary>ours ÷ baseline, as "0.62×"; a dash when either side is missing or the baseline is zero.</summary>
    public static string Ratio(double? ours, double? baseline) =>
        ours is { } o && baseline is { } b && b != 0 ? (o / b).ToString("0.00", CultureInfo.InvariantCulture) + "×" : None;

    public static string Met(bool? met) => met switch { true => "yes", false => "**no**", null => "?" };

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>"372 ms (298–438)": median, then min–max.</summary>
    public static string Spread(IEnumerable<double> values)
    {
        var all = values.ToArray();
        return all.Length == 0 ? None : Invariant($"{RunApi.Bench.Measuring.Stats.Median(all):0} ms ({all.Min():0}–{all.Max():0})");
    }
}
