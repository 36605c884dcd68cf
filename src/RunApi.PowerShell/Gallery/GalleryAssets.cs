using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace RunApi.PowerShell.Gallery
{
    /// <summary>
    /// The page's one stylesheet and one script (gallery.css, gallery.js, embedded in the assembly), with the sha256
    /// sources that let the Content-Security-Policy allow exactly these inline blocks and nothing else.
    /// </summary>
    internal static class GalleryAssets
    {
        public static readonly string Style = Read("RunApi.Gallery.gallery.css");
        public static readonly string Script = Read("RunApi.Gallery.gallery.js");
        public static readonly string StyleHash = Sha256Source(Style);
        public static readonly string ScriptHash = Sha256Source(Script);

        private static string Read(string name)
        {
            using var stream = typeof(GalleryAssets).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException("The module assembly lacks its resource " + name + ".");
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            // One line ending on every platform, so that the hash is of the text exactly as written.
            return reader.ReadToEnd().Replace("\r\n", "\n");
        }

        /// <summary>The CSP source for an inline block: 'sha256-' and the base64 of the hash of its UTF-8 text.</summary>
        private static string Sha256Source(string text)
        {
            using var sha = SHA256.Create();
            return "'sha256-" + Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text))) + "'";
        }
    }
}
