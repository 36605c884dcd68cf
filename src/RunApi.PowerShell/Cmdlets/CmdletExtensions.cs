using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using RunApi.PowerShell.Errors;

namespace RunApi.PowerShell.Cmdlets
{
    /// <summary>What several cmdlets do alike.</summary>
    internal static class CmdletExtensions
    {
        /// <summary>A parameter's value made by <paramref name="make"/>; one it refuses ends the call, naming the parameter.</summary>
        public static T ParameterValue<T>(this PSCmdlet cmdlet, string errorId, string parameter, Func<T> make)
        {
            try
            {
                return make();
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.InvalidArgument(errorId, parameter + ": " + ex.Message, parameter));
                throw; // not reached
            }
        }

        /// <summary>The files a pattern such as ./photos/*.png matches, in name order; none when nothing does.</summary>
        public static IReadOnlyList<string> FilesMatching(this PSCmdlet cmdlet, string pattern)
        {
            try
            {
                return cmdlet.GetResolvedProviderPathFromPSPath(pattern, out _).OrderBy(p => p, StringComparer.Ordinal).ToList();
            }
            catch (ItemNotFoundException)
            {
                return Array.Empty<string>();
            }
        }
    }
}
