using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace RunApi
{
    /// <summary>
    /// The images of a task. A list like the array it replaced, whose text is its URLs separated by spaces: so
    /// <c>Export-Csv</c> of tasks writes the URLs in the Images column, and <c>Import-Csv | Save-ImagenImage</c> reads
    /// them back. A URL has no unescaped space, so the list is unambiguous; a space a server left in one is written %20.
    /// </summary>
    public sealed class ImagenImageCollection : ReadOnlyCollection<ImagenImage>
    {
        internal ImagenImageCollection(IList<ImagenImage> images)
            : base(images)
        {
        }

        /// <summary>The number of images, as the array had it (PowerShell would otherwise answer 1 per image).</summary>
        public int Length => Count;

        public override string ToString() => string.Join(" ", this.Select(i => i.Url.Replace(" ", "%20")));
    }
}
