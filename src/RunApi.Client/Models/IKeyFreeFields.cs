using System.Collections.Generic;

namespace RunApi.Client.Models
{
    /// <summary>
    /// An answer whose fields the module uses as they are: in file names, in URLs it sends requests to, in output.
    /// None of them may hold the API key, so an answer with one that does is refused rather than masked.
    /// </summary>
    internal interface IKeyFreeFields
    {
        IEnumerable<string?> KeyFreeFields();
    }
}
