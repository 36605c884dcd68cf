using RunApi.Client.Http;
using RunApi.Client.Tests.Support;

namespace RunApi.Client.Tests;

/// <summary>How one process's request budget reads RunAPI's 429s (alone, on a fake clock: no HTTP).</summary>
public class RequestBudgetTests
{
    /// <summary>
    /// Three processes that start together on one key each send far more than the limit lets through for them. Cut
    /// from what it sent (20 a second here), a process kept 14 a second, and the three went on over the limit.
    /// </summary>
    [Fact]
    public void The_first_429_keeps_a_share_of_what_the_limit_let_through_not_of_what_was_sent()
    {
        var budget = new RequestBudget(new ObservableClock());
        for (var i = 0; i < 20; i++) Assert.True(budget.EnterAsync(look: false, CancellationToken.None).IsCompletedSuccessfully);
        for (var i = 0; i < 10; i++) budget.Answered(tooMany: false, retryAfter: null);
        budget.Answered(tooMany: true, TimeSpan.FromSeconds(1));

        Assert.Equal(10 * RequestBudget.Backoff, budget.Rate!.Value, precision: 9);
    }

    /// <summary>
    /// A key that another process has used up lets nothing through for a while before this process's first 429: what
    /// got through seconds ago is no measure of the limit now.
    /// </summary>
    [Fact]
    public void What_the_limit_let_through_more_than_a_second_before_the_first_429_does_not_count()
    {
        var clock = new ObservableClock();
        var budget = new RequestBudget(clock);
        for (var i = 0; i < 10; i++) budget.Answered(tooMany: false, retryAfter: null);
        clock.Advance(TimeSpan.FromSeconds(5));
        budget.Answered(tooMany: true, TimeSpan.FromSeconds(1));

        Assert.Equal(Math.Max(RequestBudget.MinRate, 1 * RequestBudget.Backoff), budget.Rate!.Value, precision: 9); // as after one
    }

    /// <summary>
    /// After a cut the budget is quickly back at the rate that was refused, and slowly past it, where the next 429 lies:
    /// per answer, a second of full use adds GrowthPerSecond below it and ProbeGrowthPerSecond above.
    /// </summary>
    [Fact]
    public void After_a_cut_the_rate_grows_quickly_back_to_the_rate_refused_and_slowly_past_it()
    {
        var budget = new RequestBudget(new ObservableClock());
        for (var i = 0; i < 10; i++) budget.Answered(tooMany: false, retryAfter: null);
        budget.Answered(tooMany: true, TimeSpan.FromSeconds(1));

        int AnswersToGrowBy(double requestsPerSecond)
        {
            var from = budget.Rate!.Value;
            var answers = 0;
            for (; budget.Rate < from + requestsPerSecond; answers++) budget.Answered(tooMany: false, retryAfter: null);
            return answers;
        }

        var recovering = AnswersToGrowBy(10 - budget.Rate!.Value); // from 7 back to 10 a second
        var probing = AnswersToGrowBy(3); // from 10 to 13 a second

        // Growing by g a second per second of full use takes about (end² - start²) / 2g answers.
        Assert.InRange(recovering, (100 - 49) / (2 * RequestBudget.GrowthPerSecond), (100 - 49) / (2 * RequestBudget.GrowthPerSecond) + 2);
        Assert.InRange(probing, (169 - 100) / (2 * RequestBudget.ProbeGrowthPerSecond), (169 - 100) / (2 * RequestBudget.ProbeGrowthPerSecond) + 2);
    }
}
