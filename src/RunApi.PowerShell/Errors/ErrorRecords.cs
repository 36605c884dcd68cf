using System;
using System.IO;
using System.Management.Automation;
using RunApi.Client.Configuration;
using RunApi.Client.Downloads;
using RunApi.Client.Errors;
using RunApi.Client.Journal;

namespace RunApi.PowerShell.Errors
{
    /// <summary>
    /// Builds the error records the cmdlets write: a stable ErrorId without spaces, the category that fits, the task or
    /// prompt as TargetObject, and a recommended action that says what to do.
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception exception, object? target)
        {
            var id = ErrorIds.For(exception);
            switch (exception)
            {
                case RunApiException { OutcomeUnknown: true } unknown:
                    return Build(unknown, id, CategoryFor(unknown.Kind), target,
                        $"Run this prompt again with the same options and -IdempotencyKey {unknown.IdempotencyKey}: RunAPI then " +
                        "returns the task it made, without a second charge, or creates it if it made none.");
                case RunApiException api:
                    return Build(api, id, CategoryFor(api.Kind), target, RecommendedAction(api));
                case RunApiConfigurationException config:
                    return Build(config, id, ErrorCategory.InvalidArgument, target,
                        config.Problem == RunApiConfigurationProblem.MissingApiKey
                            ? "Pass -ApiKey, or set the RUNAPI_API_KEY environment variable ($env:RUNAPI_API_KEY = '<your key>'). Keys are created at https://runapi.ai."
                            : null);
                case JournalException journal:
                    return Build(journal, id, JournalCategory(journal.Problem), target, JournalAdvice(journal.Problem));
                case DestinationExistsException exists:
                    return Build(exists, id, ErrorCategory.ResourceExists, target, "Use -Force to replace it, or choose another folder or name.");
                case UnauthorizedAccessException denied:
                    return Build(denied, id, ErrorCategory.PermissionDenied, target, null);
                case IOException io:
                    return Build(io, id, ErrorCategory.WriteError, target, null);
                default:
                    return Build(exception, id, ErrorCategory.NotSpecified, target, null);
            }
        }

        public static ErrorRecord InvalidArgument(string errorId, string message, object? target, string? recommendedAction = null) =>
            Build(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target, recommendedAction);

        /// <summary>A path with wildcards that matched nothing: an error as Get-Item gives, not silence.</summary>
        public static ErrorRecord NothingMatches(string pattern, string parameter, string literalParameter) =>
            Build(new ItemNotFoundException($"Nothing matches {parameter} '{pattern}'."), "RunApiImageNotFound", ErrorCategory.ObjectNotFound, pattern,
                pattern.IndexOf('[') >= 0
                    ? $"Brackets are wildcards in {parameter}: for a name that holds them, use {literalParameter}."
                    : "Check the path and its wildcards.");

        internal static ErrorRecord Build(Exception exception, string errorId, ErrorCategory category, object? target, string? action)
        {
            var record = new ErrorRecord(exception, errorId, category, target);
            if (action is not null) record.ErrorDetails = Details(exception.Message, action);
            return record;
        }

        /// <summary>
        /// The message PowerShell displays, and the advice once: PowerShell 7 shows RecommendedAction on a line of its
        /// own ("Recommendation:"), so the message leaves it out; Windows PowerShell 5.1 shows only the message, so
        /// there the advice follows the message.
        /// </summary>
        public static ErrorDetails Details(string message, string? action) =>
            new ErrorDetails(action is null || HostShowsRecommendation ? message : message.TrimEnd() + " " + action) { RecommendedAction = action };

        private static readonly bool HostShowsRecommendation = (typeof(PSObject).Assembly.GetName().Version?.Major ?? 0) >= 7;

        private static ErrorCategory JournalCategory(JournalProblem problem)
        {
            switch (problem)
            {
                case JournalProblem.InUse:
                case JournalProblem.JobRunning: return ErrorCategory.ResourceBusy;
                case JournalProblem.JobNotFound: return ErrorCategory.ObjectNotFound;
                case JournalProblem.JobStoreUnusable: return ErrorCategory.WriteError;
                case JournalProblem.FolderMissing:
                case JournalProblem.NotFound: return ErrorCategory.ObjectNotFound;
                case JournalProblem.WriteFailed: return ErrorCategory.WriteError;
                default: return ErrorCategory.InvalidData;
            }
        }

        public static ErrorCategory CategoryFor(RunApiErrorKind kind)
        {
            switch (kind)
            {
                case RunApiErrorKind.Validation: return ErrorCategory.InvalidArgument;
                case RunApiErrorKind.Authentication:
                case RunApiErrorKind.ProxyAuthentication: return ErrorCategory.AuthenticationError;
                case RunApiErrorKind.InsufficientCredits: return ErrorCategory.QuotaExceeded;
                case RunApiErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case RunApiErrorKind.Conflict: return ErrorCategory.ResourceExists;
                case RunApiErrorKind.RateLimited: return ErrorCategory.LimitsExceeded;
                case RunApiErrorKind.ServiceUnavailable:
                case RunApiErrorKind.Server: return ErrorCategory.ResourceUnavailable;
                case RunApiErrorKind.Network: return ErrorCategory.ConnectionError;
                case RunApiErrorKind.Timeout:
                case RunApiErrorKind.TaskTimeout: return ErrorCategory.OperationTimeout;
                case RunApiErrorKind.TaskFailed: return ErrorCategory.InvalidResult;
                case RunApiErrorKind.InvalidResponse: return ErrorCategory.InvalidData;
                case RunApiErrorKind.FileWrite: return ErrorCategory.WriteError;
                default: return ErrorCategory.InvalidOperation;
            }
        }

        private static string? JournalAdvice(JournalProblem problem)
        {
            switch (problem)
            {
                case JournalProblem.FolderMissing: return "Create the folder first, or give -JournalPath a file in a folder that exists.";
                case JournalProblem.NotAJournal: return "Give -JournalPath a new file, or one that New-ImagenImage -JournalPath wrote.";
                case JournalProblem.NewerFormat: return "Update the module (Update-Module RunApi) to resume this journal.";
                case JournalProblem.OtherOrigin: return "Resume it against the origin it was made with (-BaseUri or RUNAPI_BASE_URL), or give this batch a new journal.";
                default: return null;
            }
        }

        private static string? RecommendedAction(RunApiException error)
        {
            if (error.ImageOverSizeLimit) return "If the image is real, raise -MaxImageSizeMB.";
            switch (error.Kind)
            {
                case RunApiErrorKind.Authentication:
                    return "Check the API key: pass -ApiKey, or set $env:RUNAPI_API_KEY to a valid key from your RunAPI account.";
                case RunApiErrorKind.ProxyAuthentication:
                    return "Give the proxy's user and password with -ProxyCredential (or -ProxyUseDefaultCredentials for the " +
                        "logged-on Windows account, or in HTTPS_PROXY as http://user:password@proxy:port); -NoProxy goes around it.";
                case RunApiErrorKind.InsufficientCredits:
                    return "The account's credits are spent. Top up the balance at https://runapi.ai, then run the command again.";
                case RunApiErrorKind.RateLimited:
                    return "RunAPI is limiting this key's request rate. Run fewer commands at once on the key or lower " +
                        "-ThrottleLimit, and run the command again later (with -JournalPath it picks up where it stopped).";
                case RunApiErrorKind.NotFound when error.TaskId is not null:
                    return "Check the task id, and for remix tasks pass -Endpoint remix_image.";
                case RunApiErrorKind.TaskTimeout:
                    return "The task may still finish: run Wait-ImagenTask on it again, or raise -TimeoutSec.";
                default:
                    return null;
            }
        }
    }
}
