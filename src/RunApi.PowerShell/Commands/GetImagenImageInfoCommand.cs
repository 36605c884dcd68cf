using System;
using System.IO;
using System.Management.Automation;
using RunApi.Client.Downloads;
using RunApi.PowerShell.Errors;

namespace RunApi.PowerShell.Commands
{
    /// <summary>Reads back what a saved image file holds about its task: prompt, model, seed, task id, time.</summary>
    [Cmdlet(VerbsCommon.Get, "ImagenImageInfo", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ImagenImageInfo))]
    public sealed class GetImagenImageInfoCommand : PSCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>Image files; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Image files, taken as written; FileInfo objects from Get-ChildItem or Save-ImagenImage bind here.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "FullName")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (var path in ParameterSetName == LiteralPathSet ? LiteralPath : Path)
            {
                foreach (var file in Resolve(path)) Describe(file);
            }
        }

        private System.Collections.Generic.IEnumerable<string> Resolve(string path)
        {
            if (ParameterSetName == LiteralPathSet) return new[] { SessionState.Path.GetUnresolvedProviderPathFromPSPath(path) };
            try
            {
                var found = GetResolvedProviderPathFromPSPath(path, out _);
                if (found.Count == 0) WriteError(ErrorRecords.NothingMatches(path, "-Path", "-LiteralPath"));
                return found;
            }
            catch (ItemNotFoundException error)
            {
                WriteError(new ErrorRecord(error, "RunApiImageNotFound", ErrorCategory.ObjectNotFound, path));
                return Array.Empty<string>();
            }
        }

        private void Describe(string file)
        {
            if (Directory.Exists(file))
            {
                WriteError(ErrorRecords.InvalidArgument("RunApiImageIsFolder", $"'{file}' is a folder, not an image file.", file,
                    "Give image files, for example -Path ./out/*.png."));
                return;
            }
            try
            {
                WriteObject(new ImagenImageInfo(file, ImageMetadataReader.Read(file)));
            }
            catch (Exception error) when (error is IOException || error is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(error, "RunApiImageUnreadable", ErrorCategory.ReadError, file));
            }
        }
    }
}
