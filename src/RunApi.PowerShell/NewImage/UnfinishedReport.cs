using System.Collections.Generic;
using System.Linq;
using RunApi.Client.Batches;
using RunApi.Client.Models;
using RunApi.PowerShell.Errors;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>
    /// What a stopped New-ImagenImage (Ctrl+C, Select-Object -First, a terminating error) says of the work it did not
    /// hand over: every task it paid for, then one command that picks them all up; every create that may have reached
    /// RunAPI unanswered, with its Idempotency-Key; and, with a journal, the command that resumes the batch.
    /// </summary>
    internal static class UnfinishedReport
    {
        /// <param name="open">The batch's inputs not yet ended.</param>
        /// <param name="outputDirectory">For the Save goal: where the pick-up command saves.</param>
        public static IEnumerable<string> Warnings(IEnumerable<BatchInput> open, BatchGoal goal, string? outputDirectory, string? journalPath, string? jobId = null)
        {
            var missed = goal == BatchGoal.Save ? "saved" : goal == BatchGoal.Complete ? "complete" : "written";
            var unfinished = open.Where(i => !i.HandedOver).ToList();
            var paid = new List<CreatedTask>();
            foreach (var input in unfinished)
            {
                var prompt = DisplayText.Shorten(input.Tag as string);
                if (input.Created is { } created)
                {
                    paid.Add(created);
                    yield return $"Task {created.Id} ({created.Endpoint.Name}) for prompt '{prompt}' was created and charged, " +
                                 $"but the command stopped before it was {missed}.";
                }
                else if (input.CreateSent)
                {
                    yield return $"The create for prompt '{prompt}' was sent, but the command stopped before RunAPI answered: " +
                                 "a task may exist and be charged. Run that prompt again with the same options and " +
                                 $"-IdempotencyKey {input.IdempotencyKey} to get it without paying twice.";
                }
            }
            foreach (var group in paid.GroupBy(t => t.Endpoint.Name))
            {
                var endpoint = group.Key == TaskEndpoint.TextToImage.Name ? string.Empty : " -Endpoint " + group.Key;
                var save = goal == BatchGoal.Save ? $" | Save-ImagenImage -OutputDirectory {DisplayText.Quoted(outputDirectory!)}" : string.Empty;
                yield return $"To pick up the {group.Count()} paid {group.Key} task(s): " +
                             $"Wait-ImagenTask -TaskId {string.Join(",", group.Select(t => QuotedIfNeeded(t.Id)))}{endpoint}{save}";
            }
            if (jobId is not null && unfinished.Count > 0)
            {
                yield return $"Or finish the job without paying twice: Resume-ImagenJob -Id {jobId}";
            }
            else if (journalPath is not null && unfinished.Count > 0)
            {
                yield return $"Or run the same command again with -JournalPath {DisplayText.Quoted(journalPath)}: it resumes the batch without paying twice.";
            }
        }

        /// <summary>A task id as a PowerShell argument: bare when it is a plain word, else single-quoted.</summary>
        private static string QuotedIfNeeded(string id) =>
            id.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-') ? id : DisplayText.Quoted(id);
    }
}
