using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using RunApi.Client.Jobs;

namespace RunApi.PowerShell.Parameters
{
    /// <summary>Completes -Id with the ids of the user's jobs, newest first, each with its name as the tooltip.</summary>
    public sealed class JobIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(wordToComplete, JobStore.Resolve().All()
                .Select(folder => folder.Record)
                .Where(record => record is not null)
                .OrderByDescending(record => record!.CreatedAt)
                .Select(record => (record!.Id, $"{record.Id}: {record.Name} ({record.CreatedAt.ToLocalTime():yyyy-MM-dd HH:mm})")));
    }
}
