namespace RunApi.Client.Errors
{
    /// <summary>What went wrong, as the RunAPI SDKs classify it.</summary>
    public enum RunApiErrorKind
    {
        /// <summary>400, 413, 422, or the request failed validation before it was sent.</summary>
        Validation,
        /// <summary>401: the key is missing, wrong or revoked.</summary>
        Authentication,
        /// <summary>402: the account has too few credits for the call.</summary>
        InsufficientCredits,
        /// <summary>404: unknown task or route.</summary>
        NotFound,
        /// <summary>409: for example an Idempotency-Key reused with different input.</summary>
        Conflict,
        /// <summary>429.</summary>
        RateLimited,
        /// <summary>503.</summary>
        ServiceUnavailable,
        /// <summary>Any other 5xx.</summary>
        Server,
        /// <summary>The connection failed or was cut before a complete response arrived.</summary>
        Network,
        /// <summary>408, or the request did not finish within its timeout.</summary>
        Timeout,
        /// <summary>The task ended with status failed.</summary>
        TaskFailed,
        /// <summary>The task did not finish within the wait.</summary>
        TaskTimeout,
        /// <summary>The service answered 2xx with something the contract does not allow.</summary>
        InvalidResponse,
        /// <summary>Any other status (403, 415, unexpected 3xx...).</summary>
        RequestFailed,
        /// <summary>407 (or a proxy's own 401/403): the proxy in the way refused the credentials it was given, or none.</summary>
        ProxyAuthentication,
        /// <summary>A local file could not be written (disk full, read-only, a folder in the way, name too long): not retried.</summary>
        FileWrite,
    }
}
