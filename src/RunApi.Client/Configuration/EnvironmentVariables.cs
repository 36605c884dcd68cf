namespace RunApi.Client.Configuration
{
    /// <summary>The environment variables the client reads, as the RunAPI SDKs and CLI name them.</summary>
    internal static class EnvironmentVariables
    {
        public const string ApiKey = "RUNAPI_API_KEY";

        /// <summary>Read after <see cref="ApiKey"/>: the name the RunAPI web quickstart uses for its shell variable.</summary>
        public const string LegacyApiKey = "RUNAPI_KEY";

        public const string BaseUrl = "RUNAPI_BASE_URL";

        /// <summary>Where jobs are kept, instead of the platform's per-user folder.</summary>
        public const string JobPath = "RUNAPI_JOB_PATH";
    }
}
