using System;
using System.Collections.Generic;
using System.Linq;
using RunApi.Client.Configuration;
using RunApi.Client.Jobs;
using RunApi.Client.Journal;
using RunApi.PowerShell.Cmdlets;
using RunApi.PowerShell.Commands;
using RunApi.PowerShell.Errors;
using RunApi.PowerShell.Jobs;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>
    /// How New-ImagenImage opens its journal: under -WhatIf only the user's, read and never written; otherwise as a
    /// job (<see cref="JournalSession.OpenJob"/>) with its record made from the command's settings. A journal or job
    /// folder that cannot be used ends the command before anything is sent.
    /// </summary>
    internal static class JobStart
    {
        /// <summary>New-ImagenImage's journal: the user's (<paramref name="journalPath"/>, a full path), or its job's own (null).</summary>
        /// <param name="commandLine">The parameters given on the command line (a job records those, not a row's).</param>
        public static JournalSession Open(NewImagenImageCommand command, string? journalPath, ISet<string> commandLine, string? outputDirectory, ResumeContext? resume)
        {
            var invocation = command.MyInvocation;
            var version = invocation.MyCommand.Module?.Version?.ToString() ?? "0.0.0";
            try
            {
                if (command.WhatIf)
                {
                    var configured = command.ClientIfConfigured()?.Settings.BaseUri;
                    return JournalSession.Open(journalPath!, whatIf: true, configured is null ? null : JournalFile.OriginOf(configured), version);
                }
                // The job is made even when no key is found: its end then says why it sent nothing.
                var baseUri = command.ClientIfConfigured()?.Settings.BaseUri ?? RunApiSettings.ResolveBaseUri(command.BaseUri?.OriginalString);
                var given = invocation.BoundParameters.Where(p => commandLine.Contains(p.Key)).ToDictionary(p => p.Key, p => (object?)p.Value);
                var resolved = new Dictionary<string, object?> { ["OutputDirectory"] = outputDirectory, ["JournalPath"] = journalPath };
                if (given.ContainsKey("BaseUri")) resolved["BaseUri"] = baseUri;
                // What the input was, for a default name: the command that feeds this one, or the first prompt.
                var source = JobRecords.Upstream(invocation) ?? command.Prompt.FirstOrDefault() ?? string.Empty;
                var record = JobRecords.For(command.JobName, JobGoals.ForBatch(command.Goal), baseUri, outputDirectory, version, given, resolved, source, DateTimeOffset.Now);
                // A resume leaves the job's input as it was.
                return JournalSession.OpenJob(JobStore.Resolve(), record, journalPath, JournalFile.OriginOf(baseUri), version, readsInput: resume is null);
            }
            catch (JournalException ex)
            {
                command.ThrowTerminatingError(ErrorRecords.From(ex, journalPath));
                throw; // not reached
            }
            catch (RunApiConfigurationException ex)
            {
                command.ThrowTerminatingError(ErrorRecords.From(ex, command.BaseUri));
                throw;
            }
        }
    }
}
