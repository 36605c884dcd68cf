using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client;
using RunApi.Client.Models;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>
    /// The source images of each remix request: the command line's, or those of the pipeline row it came from. Local
    /// files are uploaded just before the create is sent; until then the request holds stand-ins for their URLs.
    /// </summary>
    internal sealed class RecordSources
    {
        private readonly SourceImages? _commandLine;
        private readonly ConditionalWeakTable<CreateTaskRequest, SourceImages> _ofRows = new ConditionalWeakTable<CreateTaskRequest, SourceImages>();

        public RecordSources(SourceImages? commandLine)
        {
            _commandLine = commandLine;
        }

        /// <summary>The source images of a record: a row's own, given as literal paths or URLs, else the command line's.</summary>
        /// <exception cref="ParameterProblem">A row's value cannot be used as a source image.</exception>
        public SourceImages? OfRecord(string[]? fromRow, Func<string, string> resolvePath)
        {
            if (fromRow is not { Length: > 0 }) return _commandLine;
            try
            {
                return SourceImages.From(fromRow, resolvePath);
            }
            catch (ArgumentException ex)
            {
                throw new ParameterProblem("SourceImage", ex.Message);
            }
        }

        /// <summary>Remembers a row's own source images for its request.</summary>
        public void Remember(CreateTaskRequest request, SourceImages? sources)
        {
            if (sources is not null && !ReferenceEquals(sources, _commandLine)) _ofRows.Add(request, sources);
        }

        /// <summary>Gives the request the URLs of its sources, uploading local files. A create resumed from a journal already has them.</summary>
        public async Task ResolveAsync(CreateTaskRequest request, RunApiClient client, CancellationToken token)
        {
            if (request is RemixImageRequest remix && SourceImages.HasStandIns(remix.SourceImageUrls) &&
                (_ofRows.TryGetValue(request, out var sources) || (sources = _commandLine) is not null))
            {
                remix.UseSourceImages(await sources.ResolveAsync(client, token).ConfigureAwait(false));
            }
        }
    }
}
