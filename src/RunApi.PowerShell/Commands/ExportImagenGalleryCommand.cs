using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using RunApi.Client.Downloads;
using RunApi.Client.Models;
using RunApi.PowerShell.Errors;
using RunApi.PowerShell.Gallery;

namespace RunApi.PowerShell.Commands
{
    /// <summary>
    /// Writes one self-contained HTML page of thumbnails of saved images, with each one's prompt, model, seed, task,
    /// time and cost, a filter and a sort that work offline, and the batch's totals. Streams: entries are written as
    /// they come. Emits the page's FileInfo.
    /// </summary>
    [Cmdlet(VerbsData.Export, "ImagenGallery", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportImagenGalleryCommand : PSCmdlet, IDisposable
    {
        /// <summary>The page to write, for example ./out/index.html.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Saved images (the FileInfo of Save-ImagenImage, any FileInfo or path), failed tasks, or error records.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>Folders of images, or image files; wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] InputPath { get; set; } = Array.Empty<string>();

        /// <summary>Folders of images, or image files, taken as written: brackets and other wildcard characters are part of the name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] LiteralInputPath { get; set; } = Array.Empty<string>();

        /// <summary>Put the images into the page as data: URIs instead of linking them.</summary>
        [Parameter]
        public SwitchParameter Embed { get; set; }

        /// <summary>The page's title; default: "Imagen gallery" and the folder's name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Title { get; set; }

        /// <summary>Replace a page that exists.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private string _destination = string.Empty;
        private bool _writing;
        private PageFile? _file;
        private bool _pathsMissed;
        private GalleryPage? _page;
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly System.Diagnostics.Stopwatch _clock = new System.Diagnostics.Stopwatch();

        protected override void BeginProcessing()
        {
            _destination = Destination();
            if (Directory.Exists(_destination))
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiGalleryPathIsFolder", $"-Path: '{_destination}' is a folder.", Path,
                    "Give the page's file name, for example -Path ./out/index.html."));
            }
            var exists = File.Exists(_destination);
            if (exists && !Force)
            {
                ThrowTerminatingError(ErrorRecords.Build(new DestinationExistsException(_destination), "RunApiFileExists", ErrorCategory.ResourceExists, _destination,
                    "Use -Force to replace it, or give another -Path."));
            }
            _writing = ShouldProcess(_destination, exists ? "Replace the gallery page" : "Write a gallery page");
            _clock.Start();
        }

        protected override void ProcessRecord()
        {
            if (!_writing) return;
            foreach (var item in InputObject)
            {
                if (item is not null) Take(item);
            }
        }

        protected override void EndProcessing()
        {
            if (!_writing) return;
            foreach (var pattern in InputPath) TakePath(pattern);
            foreach (var literal in LiteralInputPath) TakeLiteral(SessionState.Path.GetUnresolvedProviderPathFromPSPath(literal), literal);
            var page = Page();
            if (page.Images == 0 && page.Failures == 0)
            {
                // A path that matched nothing has said so in an error: no empty page then (it would need -Force next time).
                if (_pathsMissed) return;
                WriteWarning("No images were given, so the gallery page is empty.");
            }
            try
            {
                page.Finish();
                _file!.Publish(Force);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ex is DestinationExistsException
                    ? ErrorRecords.Build(ex, "RunApiFileExists", ErrorCategory.ResourceExists, _destination, "Use -Force to replace it, or give another -Path.")
                    : ErrorRecords.From(ex, _destination));
            }
            WriteVerbose($"Wrote a gallery of {page.Images} images and {page.Failures} failures to {_destination} in {_clock.ElapsedMilliseconds} ms.");
            WriteObject(PageItem());
        }

        /// <summary>The page as the FileSystem provider gives it (with PSPath, and Mode and Size on Unix), else a plain FileInfo.</summary>
        private object PageItem()
        {
            try
            {
                var items = InvokeProvider.Item.Get(new[] { _destination }, true, true);
                if (items.Count == 1) return items[0];
            }
            catch (Exception ex) when (ex is ProviderInvocationException || ex is ItemNotFoundException || ex is IOException)
            {
                // The page was written; describe it plainly.
            }
            return new FileInfo(_destination);
        }

        public void Dispose() => _file?.Dispose();

        private string Destination()
        {
            try
            {
                var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out var provider, out _);
                if (provider.Name == "FileSystem") return System.IO.Path.GetFullPath(resolved);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is NotSupportedException)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidGalleryPath", $"-Path: '{Path}' is not a file path: {ex.Message}", Path));
            }
            ThrowTerminatingError(ErrorRecords.InvalidArgument("RunApiInvalidGalleryPath", $"-Path: '{Path}' is not on the file system.", Path,
                "Give a file path such as ./out/index.html."));
            return string.Empty; // not reached
        }

        /// <summary>The page, opened at the first entry: the folder of -Path may be made by a Save earlier in the pipeline.</summary>
        private GalleryPage Page()
        {
            if (_page is not null) return _page;
            try
            {
                _file = new PageFile(_destination);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, _destination));
            }
            var file = _file!;
            var title = Title ?? "Imagen gallery: " + new DirectoryInfo(file.Folder).Name;
            return _page = new GalleryPage(file.Writer, file.Folder, title, Embed);
        }

        private void Take(PSObject item)
        {
            switch (item.BaseObject)
            {
                case ErrorRecord error:
                    AddFailure(error.TargetObject, error.ErrorDetails?.Message ?? error.Exception.Message);
                    return;
                case ImagenTask task when task.State == TaskState.Failed:
                    AddFailure(task, task.Error ?? "The task failed.");
                    return;
                case ImagenTask task:
                    WriteError(ErrorRecords.InvalidArgument("RunApiNotASavedImage", $"Task {task.TaskId} is {task.Status}, not a saved image; it was left out of the gallery.", task,
                        "Pipe the files that Save-ImagenImage or New-ImagenImage -OutputDirectory write."));
                    return;
                case DirectoryInfo folder:
                    TakeFolder(folder.FullName);
                    return;
                case FileInfo file:
                    TakeFile(file.FullName, item);
                    return;
                case string path:
                    TakeFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), null);
                    return;
            }
            var named = Text(item, "FullName") ?? Text(item, "Path");
            if (named is not null)
            {
                TakeFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(named), item);
                return;
            }
            WriteError(ErrorRecords.InvalidArgument("RunApiNotAnImage", $"The input '{item}' is not an image file; it was left out of the gallery.", item,
                "Pipe the files that Save-ImagenImage writes, Get-ChildItem of images, or give -InputPath."));
        }

        private void TakePath(string pattern)
        {
            IEnumerable<string> paths;
            try
            {
                paths = GetResolvedProviderPathFromPSPath(pattern, out _);
            }
            catch (ItemNotFoundException error)
            {
                WriteError(new ErrorRecord(error, "RunApiImageNotFound", ErrorCategory.ObjectNotFound, pattern));
                _pathsMissed = true;
                return;
            }
            if (!paths.Any())
            {
                WriteError(ErrorRecords.NothingMatches(pattern, "-InputPath", "-LiteralInputPath"));
                _pathsMissed = true;
                return;
            }
            var wildcard = WildcardPattern.ContainsWildcardCharacters(pattern);
            foreach (var path in paths.OrderBy(p => p, StringComparer.Ordinal))
            {
                if (Directory.Exists(path)) TakeFolder(path);
                else if (!wildcard || ImageFormat.HasImageExtension(path)) TakeFile(path, null);
            }
        }

        private void TakeLiteral(string path, string given)
        {
            if (Directory.Exists(path)) TakeFolder(path);
            else if (File.Exists(path)) TakeFile(path, null);
            else
            {
                WriteError(ErrorRecords.InvalidArgument("RunApiImageNotFound", $"There is no file or folder '{given}'.", given, null));
                _pathsMissed = true;
            }
        }

        /// <summary>The image files of a folder (by extension, not its subfolders), by name.</summary>
        private void TakeFolder(string folder)
        {
            IEnumerable<string> files;
            try
            {
                files = Directory.EnumerateFiles(folder).Where(ImageFormat.HasImageExtension).OrderBy(f => f, StringComparer.Ordinal).ToList();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, "RunApiImageUnreadable", ErrorCategory.ReadError, folder));
                return;
            }
            foreach (var file in files) TakeFile(file, null);
        }

        private void TakeFile(string path, PSObject? described)
        {
            path = System.IO.Path.GetFullPath(path);
            if (!_seen.Add(path)) return;
            ImageFileFacts facts;
            try
            {
                facts = ImageMetadataReader.Read(path);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                WriteError(ErrorRecords.Build(ex, "RunApiImageNotFound", ErrorCategory.ObjectNotFound, path, null));
                return;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, "RunApiImageUnreadable", ErrorCategory.ReadError, path));
                return;
            }
            if (facts.Format == "Unknown")
            {
                WriteError(ErrorRecords.Build(new InvalidDataException($"'{path}' is not a PNG, JPEG, WebP or GIF image; it was left out of the gallery."),
                    "RunApiNotAnImage", ErrorCategory.InvalidData, path, null));
                return;
            }
            Page().Add(EntryFor(path, facts, described));
        }

        /// <summary>What the piped object says (a Save FileInfo's note properties, a manifest row), else what the file holds.</summary>
        private static GalleryEntry EntryFor(string path, ImageFileFacts facts, PSObject? described)
        {
            var known = described is null ? null : ImageProvenance.Of(described, Text(described, "TaskId"), 0);
            var entries = facts.Entries;
            string? Fact(string? value, string key) => value ?? (entries.TryGetValue(key, out var held) && held.Length > 0 ? held : null);

            var model = Fact(known?.Ask.Model, MetadataKeys.Model);
            return new GalleryEntry
            {
                ImagePath = path,
                Prompt = Fact(known?.Ask.Prompt, MetadataKeys.Prompt),
                NegativePrompt = Fact(known?.Ask.NegativePrompt, MetadataKeys.NegativePrompt),
                Model = model,
                Seed = known?.Ask.Seed ?? (long.TryParse(Fact(null, MetadataKeys.Seed), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : (long?)null),
                TaskId = Fact(known?.TaskId, MetadataKeys.TaskId),
                Format = facts.Format,
                Width = facts.Width,
                Height = facts.Height,
                Time = known?.CompletedAt ?? ParseTime(Fact(null, MetadataKeys.CreationTime)) ?? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero),
                CostUsd = known?.EstimatedCostUsd ?? (ImagenVariants.Find(model)?.PriceCents is { } cents ? cents / 100m : (decimal?)null),
            };
        }

        private void AddFailure(object? target, string error)
        {
            var described = target is null || target is string ? null : PSObject.AsPSObject(target);
            var known = described is null ? null : ImageProvenance.Of(described, Text(described, "TaskId"), 0);
            Page().Add(new GalleryEntry
            {
                Prompt = target as string ?? known?.Ask.Prompt,
                Model = known?.Ask.Model,
                Seed = known?.Ask.Seed,
                TaskId = known?.TaskId,
                Time = known?.SubmittedAt,
                Error = error,
            });
        }

        private static string? Text(PSObject item, string name) => ImageProvenance.Text(item, name);

        private static DateTimeOffset? ParseTime(string? text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
    }
}
