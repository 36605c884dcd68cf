using System;

namespace RunApi.Client.Configuration
{
    public enum RunApiConfigurationProblem
    {
        MissingApiKey,
        InvalidBaseUri,
        InsecureBaseUri,
        InvalidProxy,
    }

    /// <summary>The client cannot work at all with what it was given: no key, or an unusable base URI.</summary>
    public sealed class RunApiConfigurationException : Exception
    {
        public RunApiConfigurationException(string message, RunApiConfigurationProblem problem) : base(message)
        {
            Problem = problem;
        }

        public RunApiConfigurationProblem Problem { get; }
    }
}
