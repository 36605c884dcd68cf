using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using RunApi.Client;
using RunApi.Client.Batches;
using RunApi.Client.Downloads;
using RunApi.Client.Models;
using RunApi.PowerShell.Cmdlets;
using RunApi.PowerShell.Errors;
using RunApi.PowerShell.Files;

namespace RunApi.PowerShell.Commands
{
    /// <summary>
    /// Downloads images to files: from completed tasks, single images, any object with a Url, or -Uri. Needs no API key
    /// and sends none. Never overwrites without -Force; never leaves a partial file under a final name.
    /// </summary>
    [Cmdlet(VerbsData.Save, "ImagenImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = InputSet)]
    [OutputType(typeof(FileInfo))] // as the type RunApi.SavedImage, with the image's provenance as note properties
    public sealed class SaveImagenImageCommand : ApiCmdlet
    {
        private const string InputSet = "InputObject";
        private const string UriSet = "Uri";

        private string _directory = string.Empty;
        private string? _path;
        private int _imageCount;

        /// <summary>A completed task, an image, or any object with a Url (or Images) property.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>Image URLs. Strings, not Uri: one malformed URL is that item's error, not the whole command's.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = UriSet)]
        [Alias("Url")]
        public string[] Uri { get; set; } = Array.Empty<string>();

        /// <summary>The folder for the files; default: the current location. Names are taskid_index.ext.</summary>
        [Parameter]
        [Alias("Destination")] // the name Copy-Item and Save-Module use
        public string? OutputDirectory { get; set; }

        /// <summary>The exact file for a single image.</summary>
        [Parameter]
        public string? Path { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Downloads in flight at once; further input waits for a free place.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = BatchSettings.DefaultDownloadLimit;

        /// <summary>The largest image kept, in MB; a larger body is refused (default 200).</summary>
        [Parameter]
        [ValidateRange(1, 4096)]
        public int MaxImageSizeMB { get; set; } = (int)(RunApiClientOptions.DefaultMaxImageBytes >> 20);

        /// <summary>Save the bytes exactly as served, without the provenance text otherwise written into PNG and JPEG files.</summary>
        [Parameter]
        public SwitchParameter NoMetadata { get; set; }

        /// <summary>How files are named, from tokens such as {Row}, {Prompt}, {TaskId}; default {TaskId}_{Index}.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? FileNameTemplate { get; set; }

        private FileNameTemplate? _template;
        private readonly NameClaims _claims = new NameClaims();
        private int _row = -1;

        /// <summary>How long one image may take to download, every retry included (default 300 s).</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 300;

        protected override void BeginProcessing()
        {
            if (Path is not null && OutputDirectory is not null)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiPathAndDirectory",
                    "Give either -Path (one file) or -OutputDirectory (a folder), not both.", Path));
            }
            if (Path is not null && FileNameTemplate is not null)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiPathAndTemplate",
                    "Give either -Path (one file) or -FileNameTemplate (names in a folder), not both.", Path));
            }
            var paths = SessionState.Path;
            _path = Path is null ? null : paths.GetUnresolvedProviderPathFromPSPath(Path);
            _directory = OutputDirectory is null ? paths.CurrentFileSystemLocation.ProviderPath
                : OutputFolder.Prepare(this, OutputDirectory, nameof(OutputDirectory), create: false);
            if (FileNameTemplate is not null)
            {
                try
                {
                    _template = Files.FileNameTemplate.Parse(FileNameTemplate);
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidFileNameTemplate", "-FileNameTemplate: " + ex.Message, FileNameTemplate));
                }
            }
        }

        // Only rows that name a task without its image URLs need the API; saving by URL needs no key and sends none.
        internal override RunApiClient? BatchClient() => ClientIfConfigured();

        internal override BatchSettings BatchSettingsFor() => new BatchSettings
        {
            Goal = BatchGoal.Save,
            DownloadLimit = ThrottleLimit,
            Downloader = Downloader(MaxImageSizeMB, TimeSpan.FromSeconds(TimeoutSec)),
        };

        internal override DownloadTarget SaveTargetFor(BatchInput input, int index, TaskImage image) =>
            TargetFor(((Item)input.Tag!).Provenance.WithTask(input.TaskId!, index), ((Item)input.Tag!).Row);

        internal override string? ProgressActivity() => "Saving images";

        internal override string DescribeProgress(BatchCounts counts) =>
            $"{counts.Submitted} images: {counts.Saved} saved, {counts.Failed} failed";

        internal override void OnSaved(BatchInput input, int imageIndex, DownloadedImage image) =>
            WriteObject((input.Entry == BatchEntry.Save ? ((Item)input.Tag!).Provenance : ((Item)input.Tag!).Provenance.WithTask(input.TaskId!, imageIndex)).Describe(image.Path));

        internal override void OnFailed(BatchInput input, BatchFailure failure) => WriteError(ErrorRecords.From(failure.Error, ((Item)input.Tag!).Target));

        /// <summary>One image to save: what errors name, and where the image came from.</summary>
        private sealed class Item
        {
            public Item(object target, ImageProvenance provenance, int row)
            {
                Target = target;
                Provenance = provenance;
                Row = row;
            }

            public object Target { get; }
            public ImageProvenance Provenance { get; }

            /// <summary>The input's position in the command, from 0 ({Row} of a file name template).</summary>
            public int Row { get; }
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == UriSet)
            {
                foreach (var url in Uri)
                {
                    _row++;
                    var parsed = System.Uri.TryCreate(url, UriKind.Absolute, out var uri);
                    Save(url, parsed ? ImageFileNames.FromUrl(uri!) : "image", url, ImageProvenance.None(0));
                }
            }
            else
            {
                foreach (var item in InputObject)
                {
                    _row++;
                    SaveItem(item);
                }
            }
        }

        private void SaveItem(PSObject item)
        {
            switch (item.BaseObject)
            {
                case ImagenImage image:
                    Save(image.Url, ImageFileNames.For(image), image, ImageProvenance.Of(image));
                    return;
                case ImagenTask task when task.State != TaskState.Completed:
                    WriteError(ErrorRecords.InvalidArgument("RunApiTaskNotCompleted",
                        $"Task {task.TaskId} is {task.Status}, so it has no images yet.", task,
                        "Pipe it through Wait-ImagenTask first, or use New-ImagenImage -OutputDirectory."));
                    return;
                case ImagenTask task:
                    foreach (var image in task.Images) Save(image.Url, ImageFileNames.For(image), task, ImageProvenance.Of(task, image.Index));
                    return;
            }

            foreach (var image in ImagesOf(item))
            {
                Save(image.Url, image.Name, item, ImageProvenance.Of(item, image.TaskId, image.Index));
            }
        }

        /// <summary>
        /// Plain objects and CSV rows: a Url/Uri property, or Images: a collection of URLs or of objects with a Url, or the
        /// text Export-Csv writes of a task's images (URLs separated by spaces).
        /// </summary>
        private IEnumerable<(string Url, string Name, string? TaskId, int Index)> ImagesOf(PSObject item)
        {
            var url = PropertyText(item, "Url") ?? PropertyText(item, "Uri");
            var taskId = PropertyText(item, "TaskId") ?? PropertyText(item, "task_id") ?? PropertyText(item, "Id");
            if (url is not null)
            {
                var indexText = PropertyText(item, "Index") ?? PropertyText(item, "ImageIndex") ?? "0";
                var index = int.TryParse(indexText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
                var name = taskId is not null ? taskId + "_" + indexText
                    : System.Uri.TryCreate(url, UriKind.Absolute, out var parsedUrl) ? ImageFileNames.FromUrl(parsedUrl) : "image";
                yield return (url, name, taskId, index);
                yield break;
            }
            var images = item.Properties["Images"]?.Value;
            if (images is PSObject wrapped) images = wrapped.BaseObject;
            var list = images is string text ? UrlsIn(text) : images as System.Collections.IEnumerable;
            if (list is not null)
            {
                var index = 0;
                foreach (var entry in list)
                {
                    var imageUrl = UrlOf(entry);
                    if (imageUrl is not null) yield return (imageUrl, (taskId ?? "image") + "_" + index, taskId, index);
                    index++;
                }
                yield break;
            }
            if (taskId is not null)
            {
                SaveTask(item, taskId);
                yield break;
            }
            WriteError(ErrorRecords.InvalidArgument("RunApiNoImageUrl", "The input has no Url and no Images, so there is nothing to save.", item,
                "Pipe completed tasks (New-ImagenImage -Wait, Wait-ImagenTask), their Images, or objects with a Url property."));
        }

        /// <summary>
        /// The URLs of an Images column (separated by white space); null when it holds none, as in a CSV of tasks written
        /// before tasks had a text form ("RunApi.ImagenImage[]"): such a row is then saved by its task id.
        /// </summary>
        private static string[]? UrlsIn(string text)
        {
            var urls = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return urls.Any(u => System.Uri.TryCreate(u, UriKind.Absolute, out _)) ? urls : null;
        }

        private static string? UrlOf(object? entry)
        {
            if (entry is null) return null;
            var image = PSObject.AsPSObject(entry);
            return image.BaseObject is string url ? url : PropertyText(image, "Url") ?? PropertyText(image, "url");
        }

        /// <summary>A row that names a task but not its images (a CSV of task ids): the task is fetched, waited for if need be, and saved.</summary>
        private void SaveTask(PSObject item, string taskId)
        {
            if (BatchClient() is null)
            {
                WriteError(ErrorRecords.InvalidArgument("RunApiNoImageUrl", $"The input names task {taskId} but not its image URLs, and no API key was found to fetch them.", item,
                    "Give -ApiKey or set RUNAPI_API_KEY, or pipe the rows through Get-ImagenTask first."));
                return;
            }
            if (!TaskEndpoint.TryParse(PropertyText(item, "Endpoint") ?? TaskEndpoint.TextToImage.Name, out var endpoint))
            {
                WriteError(ErrorRecords.InvalidArgument("RunApiInvalidEndpoint", $"Task {taskId} has the endpoint '{PropertyText(item, "Endpoint")}', which is neither text_to_image nor remix_image.", item));
                return;
            }
            if (PathAlreadyTaken($"task {taskId}", item)) return;
            if (!ShouldProcess(_path ?? _directory, $"Save the images of task {taskId}")) return;
            Submit(BatchInput.ToWait(endpoint, taskId, tag: new Item(item, ImageProvenance.Of(item, taskId, 0), _row)));
        }

        private DownloadTarget TargetFor(ImageProvenance provenance, int row)
        {
            if (_path is not null && provenance.ImageIndex > 0)
            {
                // Reported for that image alone: -Path holds the task's first image, never another one over it.
                throw new ArgumentException($"-Path names one file, which holds image 0 of task {provenance.TaskId}; image {provenance.ImageIndex} was not saved. Use -OutputDirectory to save them all.");
            }
            var target = _path is not null ? DownloadTarget.ExactPath(_path, Force)
                : _template is not null ? DownloadTarget.InDirectory(_directory, _template.Render(provenance, row, DateTimeOffset.UtcNow), Force).SuffixedWithin(_claims)
                : DownloadTarget.InDirectory(_directory, provenance.TaskId + "_" + provenance.ImageIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), Force);
            return target.WithMetadata(NoMetadata ? null : provenance.Metadata(DateTimeOffset.UtcNow));
        }

        private static string? PropertyText(PSObject item, string name)
        {
            var value = item.Properties[name]?.Value;
            var text = value is PSObject wrapped ? wrapped.BaseObject?.ToString() : value?.ToString();
            return string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
        }

        /// <summary>With -Path, true (and one error naming <paramref name="what"/>) for every image after the first.</summary>
        private bool PathAlreadyTaken(string what, object target)
        {
            if (_path is null || ++_imageCount == 1) return false;
            WriteError(ErrorRecords.InvalidArgument("RunApiPathTakesOneImage",
                $"-Path names one file, and an image was already saved to it; {what} was not saved.", target,
                "Use -OutputDirectory to save several images."));
            return true;
        }

        private void Save(string url, string baseName, object target, ImageProvenance provenance)
        {
            if (PathAlreadyTaken(url, target)) return;
            if (!System.Uri.TryCreate(url, UriKind.Absolute, out var source))
            {
                WriteError(ErrorRecords.InvalidArgument("RunApiInvalidImageUrl", $"'{url}' is not an absolute URL.", target));
                return;
            }
            var destination = _path ?? System.IO.Path.Combine(_directory, SafeFileName.From(baseName) + ".*");
            if (!ShouldProcess(destination, $"Save image {source.GetLeftPart(UriPartial.Path)}")) return;

            var downloadTarget = _path is not null ? DownloadTarget.ExactPath(_path, Force)
                : _template is not null ? DownloadTarget.InDirectory(_directory, _template.Render(provenance, _row, DateTimeOffset.UtcNow), Force).SuffixedWithin(_claims)
                : DownloadTarget.InDirectory(_directory, DistinctName(baseName, source), Force);
            downloadTarget = downloadTarget.WithMetadata(NoMetadata ? null : provenance.Metadata(DateTimeOffset.UtcNow));
            Submit(BatchInput.ToSave(source, downloadTarget, new Item(target, provenance, _row)));
        }

        /// <summary>
        /// Two different images of one call never get one name: eight URLs ending in /photo.png become photo, then photo-hash...
        /// (the hash of the URL, so a second run names them the same way). The same image given twice keeps its name.
        /// </summary>
        private string DistinctName(string baseName, Uri source)
        {
            var name = SafeFileName.From(baseName);
            var url = source.AbsoluteUri;
            if (_namesGiven.TryGetValue(name, out var owner) && owner != url) name = SafeFileName.WithSuffix(name, url);
            _namesGiven[name] = url;
            return name;
        }

        // Case-blind: on Windows and macOS "A" and "a" are one file.
        private readonly Dictionary<string, string> _namesGiven = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    }
}
