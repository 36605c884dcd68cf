using System;
using System.Collections.Generic;
using RunApi.Client.Models;

namespace RunApi.Client.Errors
{
    /// <summary>
    /// Every failure of a call to RunAPI. <see cref="Kind"/> says what went wrong; the other properties carry what the
    /// service said. Messages never contain the API key.
    /// </summary>
    public sealed class RunApiException : Exception
    {
        private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoFieldErrors =
            new Dictionary<string, IReadOnlyList<string>>();

        public RunApiException(RunApiErrorKind kind, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Kind = kind;
        }

        public RunApiErrorKind Kind { get; }

        /// <summary>The HTTP status, when a response arrived.</summary>
        public int? StatusCode { get; internal set; }

        /// <summary>The machine code from a nested error.code in the body; never guessed from the status.</summary>
        public string? Code { get; internal set; }

        /// <summary>The x-request-id of the response, for RunAPI support.</summary>
        public string? RequestId { get; internal set; }

        /// <summary>The message as the service (or the local check) worded it, without the status decoration.</summary>
        public string? ServiceMessage { get; internal set; }

        /// <summary>For local validation: the API field at fault (prompt, aspect_ratio...).</summary>
        public string? Field { get; internal set; }

        /// <summary>Per-field messages from a 422 body.</summary>
        public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; internal set; } = NoFieldErrors;

        /// <summary>How long the service asked the client to wait (Retry-After), when it said.</summary>
        public TimeSpan? RetryAfter { get; internal set; }

        /// <summary>The task concerned, for task failures, timeouts and task-level HTTP errors.</summary>
        public string? TaskId { get; internal set; }

        /// <summary>The last known state of the task, for task failures and timeouts.</summary>
        internal TaskResponse? Task { get; set; }

        /// <summary>An image was refused for being larger than the download's size limit.</summary>
        public bool ImageOverSizeLimit { get; internal set; }

        /// <summary>For <see cref="RunApiErrorKind.FileWrite"/>: the file that could not be written.</summary>
        public string? FilePath { get; internal set; }

        /// <summary>The raw response body (the key masked), for troubleshooting.</summary>
        public string? ResponseBody { get; internal set; }

        /// <summary>
        /// True for the failures the contract allows a retry of (408, 429, 5xx, transport), and for a 2xx body that
        /// could not be read: its outcome is unknown, like a cut connection's.
        /// </summary>
        public bool IsTransient =>
            UnreadableSuccess ||
            Kind == RunApiErrorKind.RateLimited || Kind == RunApiErrorKind.ServiceUnavailable ||
            Kind == RunApiErrorKind.Server || Kind == RunApiErrorKind.Network || Kind == RunApiErrorKind.Timeout;

        /// <summary>
        /// True when a create may have reached RunAPI without its answer arriving (a 5xx or a cut connection on every
        /// attempt): a task may exist and be charged. <see cref="IdempotencyKey"/> gets it back without a second charge.
        /// </summary>
        public bool OutcomeUnknown { get; internal set; }

        /// <summary>
        /// True when RunAPI accepted a create (so it is charged) but its answer cannot be used, such as a task id that
        /// is not safe to look up. <see cref="IdempotencyKey"/> gets the same task back without a second charge.
        /// </summary>
        public bool CreateAccepted { get; internal set; }

        /// <summary>
        /// True when every attempt of the request was refused with 429 until the patience ran out: RunAPI acted on none,
        /// so a create that ends so made no task and was not charged.
        /// </summary>
        public bool EveryAttemptRefused { get; internal set; }

        /// <summary>For creates: the Idempotency-Key they were sent with.</summary>
        public string? IdempotencyKey { get; internal set; }

        /// <summary>A create that may or may not have made a task, for want of an answer.</summary>
        /// <param name="cause">The last attempt's failure.</param>
        /// <param name="why">Why no answer came, when the cause does not say it.</param>
        public static RunApiException CreateOutcomeUnknown(RunApiException cause, string idempotencyKey, string? why)
        {
            var reason = why ?? cause.Message.TrimEnd('.');
            return new RunApiException(cause.Kind,
                $"RunAPI may have accepted this create, but no answer arrived ({reason}). A task may exist and be charged; " +
                $"the create's Idempotency-Key is {idempotencyKey}.", cause)
            {
                StatusCode = cause.StatusCode,
                RequestId = cause.RequestId,
                ServiceMessage = cause.ServiceMessage,
                OutcomeUnknown = true,
                IdempotencyKey = idempotencyKey,
            };
        }

        /// <summary>The service answered 2xx with a body that is not the JSON the contract describes.</summary>
        internal bool UnreadableSuccess { get; set; }
    }
}
