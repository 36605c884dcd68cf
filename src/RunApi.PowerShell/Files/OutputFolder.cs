using System;
using System.IO;
using System.Management.Automation;
using RunApi.PowerShell.Errors;

namespace RunApi.PowerShell.Files
{
    /// <summary>
    /// The folder images are saved in, checked and made before anything is sent: a path that is a file, on another
    /// provider (Env:, HKLM:) or that cannot be made is refused while no task has been paid for yet.
    /// </summary>
    internal static class OutputFolder
    {
        /// <summary>The folder's file-system path; throws a terminating error naming the parameter when it cannot be one.</summary>
        public static string Prepare(PSCmdlet cmdlet, string path, string parameter, bool create)
        {
            string resolved;
            try
            {
                resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                if (provider.Name != "FileSystem")
                {
                    throw Refused(cmdlet, path, parameter, $"'{path}' is on the {provider.Name} provider, not a folder of the file system.");
                }
            }
            catch (Exception ex) when (ex is ArgumentException || ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is NotSupportedException)
            {
                throw Refused(cmdlet, path, parameter, $"'{path}' is not a folder path: {ex.Message}");
            }
            if (File.Exists(resolved)) throw Refused(cmdlet, path, parameter, $"'{resolved}' is a file, not a folder.");
            if (!create) return resolved;
            try
            {
                Directory.CreateDirectory(resolved);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                throw Refused(cmdlet, path, parameter, $"The folder '{resolved}' could not be made: {ex.Message}");
            }
            return resolved;
        }

        private static PipelineStoppedException Refused(PSCmdlet cmdlet, string path, string parameter, string message)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidOutputDirectory", $"-{parameter}: {message} Nothing was sent.", path,
                "Give a folder on a file-system drive; it is created if it does not exist."));
            return new PipelineStoppedException(); // not reached: ThrowTerminatingError throws
        }
    }
}
