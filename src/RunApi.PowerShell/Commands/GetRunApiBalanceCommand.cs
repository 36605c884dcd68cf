using System;
using System.Management.Automation;
using RunApi.Client;
using RunApi.Client.Batches;
using RunApi.Client.Errors;
using RunApi.PowerShell.Cmdlets;
using RunApi.PowerShell.Errors;

namespace RunApi.PowerShell.Commands
{
    /// <summary>Gets the RunAPI account's balance and what it has spent, today and in all.</summary>
    [Cmdlet(VerbsCommon.Get, "RunApiBalance")]
    [OutputType(typeof(RunApiBalance))]
    public sealed class GetRunApiBalanceCommand : ApiCmdlet
    {
        // One GET, no batch: these are never called.
        internal override BatchSettings BatchSettingsFor() => new BatchSettings();

        internal override void OnFailed(BatchInput input, BatchFailure failure) => WriteError(ErrorRecords.From(failure.Error, null));

        protected override void EndProcessing()
        {
            var client = Client;
            try
            {
                WriteObject(new RunApiBalance(RunOne(token => client.GetBalanceAsync(token))));
            }
            catch (RunApiException error)
            {
                WriteError(ErrorRecords.From(error, client.Settings.BaseUri));
            }
            base.EndProcessing();
        }
    }
}
