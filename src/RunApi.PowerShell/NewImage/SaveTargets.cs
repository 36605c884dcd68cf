using System;
using RunApi.Client.Downloads;
using RunApi.Client.Models;
using RunApi.PowerShell.Files;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>Where New-ImagenImage -OutputDirectory saves each image, and the provenance written into it.</summary>
    internal sealed class SaveTargets
    {
        private readonly string _folder;
        private readonly FileNameTemplate? _template;
        private readonly bool _force;
        private readonly bool _withMetadata;
        private readonly NameClaims _claims = new NameClaims();

        public SaveTargets(string folder, FileNameTemplate? template, bool force, bool withMetadata)
        {
            _folder = folder;
            _template = template;
            _force = force;
            _withMetadata = withMetadata;
        }

        /// <summary>Image <paramref name="index"/> of <paramref name="task"/>, the task of input row <paramref name="row"/>.</summary>
        public DownloadTarget For(ImagenTask task, int? row, int index, TaskImage image, DateTimeOffset now)
        {
            var provenance = ImageProvenance.Of(task, index);
            var target = _template is null
                ? DownloadTarget.InDirectory(_folder, ImageFileNames.For(new ImagenImage(task.TaskId, index, image.Url, image.OriginUrl)), _force)
                // Names from a template can meet: the later one gets a suffix, never the earlier one's file.
                : DownloadTarget.InDirectory(_folder, _template.Render(provenance, row, now), _force).SuffixedWithin(_claims);
            return target.WithMetadata(_withMetadata ? provenance.Metadata(now) : null);
        }
    }
}
