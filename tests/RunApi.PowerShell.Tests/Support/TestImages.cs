namespace RunApi.PowerShell.Tests.Support;

/// <summary>Files that pass for images where only their signature is read (source images before upload).</summary>
public static class TestImages
{
    /// <summary>The 8-byte PNG signature, then <paramref name="rest"/>.</summary>
    public static byte[] Png(params byte[] rest) => new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.Concat(rest).ToArray();

    /// <summary>A JPEG's start-of-image and JFIF markers, and its end-of-image marker.</summary>
    public static byte[] Jpeg() => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];
}
