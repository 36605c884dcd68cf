using System.IO;

namespace RunApi.Client.Downloads
{
    /// <summary>The final file already exists and overwriting was not allowed.</summary>
    public sealed class DestinationExistsException : IOException
    {
        public DestinationExistsException(string path)
            : base($"The file '{path}' already exists and was left as it is.")
        {
            Path = path;
        }

        public string Path { get; }
    }
}
