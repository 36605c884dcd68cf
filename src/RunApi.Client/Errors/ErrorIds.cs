using System;
using System.IO;
using RunApi.Client.Configuration;
using RunApi.Client.Downloads;
using RunApi.Client.Journal;

namespace RunApi.Client.Errors
{
    /// <summary>
    /// The ErrorId of each error the cmdlets write: one place, so that an error record and a job's record of the same
    /// failure (a journal's failed line) always agree.
    /// </summary>
    internal static class ErrorIds
    {
        public const string CreateOutcomeUnknown = "RunApiCreateOutcomeUnknown";

        public static string For(Exception exception)
        {
            switch (exception)
            {
                case RunApiException { OutcomeUnknown: true }: return CreateOutcomeUnknown;
                case RunApiException api: return "RunApi" + api.Kind;
                case RunApiConfigurationException config: return "RunApi" + config.Problem;
                case JournalException journal:
                    var problem = journal.Problem.ToString();
                    return problem.StartsWith("Job", StringComparison.Ordinal) ? "RunApi" + problem : "RunApiJournal" + problem;
                case DestinationExistsException: return "RunApiFileExists";
                case UnauthorizedAccessException: return "RunApiFileAccessDenied";
                case IOException: return "RunApiFileWriteFailed";
                default: return "RunApiUnexpectedError";
            }
        }
    }
}
