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
    internal sealed class JobStart
    {
        /// <summary>New-ImagenImage's journal: the user's (<paramref name="journalPath"/>, a full path), or its job's own (null).</summary>
        /// <param name="commandLine">The parameters given on the command line (a job records those, not a row's).</param>
        public static JournalSession Open(NewImagenImageCommand command, string? journalPath, ISet<string> commandLine, string? outputDirectory, ResumeContext? resume)
        {
            var invocation = command.MyInvocation;
            var start = new JobStart(command, command.WhatIf, invocation.MyCommand.Module?.Version?.ToString() ?? "0.0.0", command.BaseUri)
            {
                Goal = JobGoals.ForBatch(command.Goal),
                JobName = command.JobName,
                OutputDirectory = outputDirectory,
                Given = invocation.BoundParameters.Where(p => commandLine.Contains(p.Key)).ToDictionary(p => p.Key, p => (object?)p.Value),
                Source = JobRecords.Upstream(invocation) ?? command.Prompt.FirstOrDefault() ?? string.Empty,
                ReadsInput = resume is null,
            };
            return start.Open(journalPath);
        }

        private readonly ApiCmdlet _cmdlet;
        private readonly bool _whatIf;
        private readonly string _version;
        private readonly Uri? _baseUri;

        public JobStart(ApiCmdlet cmdlet, bool whatIf, string moduleVersion, Uri? baseUri)
        {
            _cmdlet = cmdlet;
            _whatIf = whatIf;
            _version = moduleVersion;
            _baseUri = baseUri;
        }

        public string Goal { get; set; } = JobGoals.Create;
        public string? JobName { get; set; }
        public string? OutputDirectory { get; set; }
        public IDictionary<string, object?> Given { get; set; } = new Dictionary<string, object?>();

        /// <summary>What the input was, for a default name: the command that feeds this one, or the first prompt.</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>False for a resume: the job's input stays as it was.</summary>
        public bool ReadsInput { get; set; } = true;

        /// <param name="journalPath">The user's -JournalPath as a full path, or null for a job's own journal.</param>
        public JournalSession Open(string? journalPath)
        {
            try
            {
                if (_whatIf)
                {
                    var configured = _cmdlet.ClientIfConfigured()?.Settings.BaseUri;
                    return JournalSession.Open(journalPath!, whatIf: true, configured is null ? null : JournalFile.OriginOf(configured), _version);
                }
                // The job is made even when no key is found: its end then says why it sent nothing.
                var baseUri = _cmdlet.ClientIfConfigured()?.Settings.BaseUri ?? RunApiSettings.ResolveBaseUri(_baseUri?.OriginalString);
                var resolved = new Dictionary<string, object?> { ["OutputDirectory"] = OutputDirectory, ["JournalPath"] = journalPath };
                if (Given.ContainsKey("BaseUri")) resolved["BaseUri"] = baseUri;
                var record = JobRecords.For(JobName, Goal, baseUri, OutputDirectory, _version, Given, resolved, Source, DateTimeOffset.Now);
                return JournalSession.OpenJob(JobStore.Resolve(), record, journalPath, JournalFile.OriginOf(baseUri), _version, ReadsInput);
            }
            catch (JournalException ex)
            {
                _cmdlet.ThrowTerminatingError(ErrorRecords.From(ex, journalPath));
                throw; // not reached
            }
            catch (RunApiConfigurationException ex)
            {
                _cmdlet.ThrowTerminatingError(ErrorRecords.From(ex, _baseUri));
                throw;
            }
        }
    }
}
