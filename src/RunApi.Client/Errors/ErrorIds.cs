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

        /// <summary>
        /// The exit code of an error, in the RunAPI CLI's table: 2 authentication, 3 no credits, 4 validation (or not
        /// found, conflict), 5 timeout, 6 rate limit, 7 generation failed, 1 anything else.
        /// </summary>
        public static int ExitCodeOf(string errorId)
        {
            switch (errorId)
            {
                case "RunApiMissingApiKey":
                case "RunApiAuthentication": return 2;
                case "RunApiInsufficientCredits":
                case "RunApiInsufficientBalance": return 3;
                case "RunApiValidation":
                case "RunApiInvalidParameter":
                case "RunApiNotFound":
                case "RunApiConflict": return 4;
                case "RunApiTimeout":
                case "RunApiTaskTimeout": return 5;
                case "RunApiRateLimited": return 6;
                case "RunApiTaskFailed": return 7;
                default: return 1;
            }
        }

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
