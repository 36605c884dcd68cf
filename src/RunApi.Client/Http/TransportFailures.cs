using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using RunApi.Client.Downloads;

namespace RunApi.Client.Http
{
    /// <summary>What counts as the transport failing (as opposed to the caller cancelling), and its root cause.</summary>
    internal static class TransportFailures
    {
        /// <summary>
        /// A connection, stream or timeout failure. The caller's own cancellation is not one: it passes through as is.
        /// A file that already exists is a decision, not a failure of the network.
        /// </summary>
        public static bool IsTransportFailure(this Exception ex, CancellationToken callerToken) =>
            !callerToken.IsCancellationRequested &&
            (ex is HttpRequestException || ex is OperationCanceledException || (ex is IOException && !(ex is DestinationExistsException)));

        /// <summary>The innermost exception: its message names the actual cause (refused, reset, name not found...).</summary>
        public static string RootMessage(this Exception ex)
        {
            while (ex.InnerException is not null) ex = ex.InnerException;
            return ex.Message;
        }
    }
}
