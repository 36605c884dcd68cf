using System;
using System.IO;
using System.Text;
using RunApi.Client.Downloads;

namespace RunApi.PowerShell.Gallery
{
    /// <summary>
    /// The page being written: a hidden temporary file beside the destination that takes the final name only when
    /// whole (atomically, and never over an existing page unless replacing was asked for). Disposed unpublished, it is
    /// deleted, so a failed or stopped export leaves no half page behind.
    /// </summary>
    internal sealed class PageFile : IDisposable
    {
        private readonly string _temporary;
        private bool _published;

        public PageFile(string destination)
        {
            Destination = destination;
            Folder = Path.GetDirectoryName(destination)!;
            Directory.CreateDirectory(Folder);
            _temporary = LocalFiles.TemporaryIn(Folder);
            Writer = new StreamWriter(new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536), new UTF8Encoding(false), 65536);
        }

        public string Destination { get; }
        public string Folder { get; }
        public TextWriter Writer { get; }

        /// <summary>Gives the page its name; throws <see cref="DestinationExistsException"/> when one is there and <paramref name="replace"/> is false.</summary>
        public void Publish(bool replace)
        {
            Writer.Dispose();
            if (replace) LocalFiles.Replace(_temporary, Destination);
            else LocalFiles.MoveNoReplace(_temporary, Destination);
            _published = true;
        }

        public void Dispose()
        {
            Writer.Dispose();
            if (!_published) LocalFiles.TryDelete(_temporary);
        }
    }
}
