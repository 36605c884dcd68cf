using System.IO;

namespace RunApi.Client.Downloads
{
    /// <summary>The final file already exists and overwriting was not allowed.</summary>
    public sealed class DestinationExistsException : IOException
    {
        public DestinationExistsException(string path)
            : base($"The file '{path}' already exists. Use -Force to overwrite it, or choose another name or folder.")
        {
            Path = path;
        }

        public string Path { get; }
    }
}
