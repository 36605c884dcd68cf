using RunApi.Client.Batches;

namespace RunApi.Client.Tests.Batches;

public class ReportedProgressTests
{
    [Fact]
    public void The_mean_is_of_the_tasks_that_reported_and_a_figure_out_of_range_is_held_to_0_to_100()
    {
        var reported = default(ReportedProgress).With(20).With(60);
        Assert.Equal(2, reported.Tasks);
        Assert.Equal(40d, reported.MeanPercent);

        var odd = default(ReportedProgress).With(150).With(-10).With(double.NaN);
        Assert.Equal(2, odd.Tasks); // NaN is no figure at all
        Assert.Equal(100d, odd.TotalPercent);
        Assert.Null(default(ReportedProgress).MeanPercent);
    }
}
