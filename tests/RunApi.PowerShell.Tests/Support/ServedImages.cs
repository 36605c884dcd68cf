using System.Buffers.Binary;
using System.Text;

namespace RunApi.PowerShell.Tests.Support;

/// <summary>Compares a saved PNG with the bytes the simulator served, apart from the provenance text the module adds.</summary>
public static class ServedImages
{
    /// <summary>The PNG without its iTXt chunks: what was served, if the module only added its text.</summary>
    public static byte[] WithoutText(byte[] png)
    {
        using var kept = new MemoryStream();
        kept.Write(png, 0, 8);
        for (var at = 8; at + 12 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            if (type != "iTXt") kept.Write(png, at, 12 + length);
            at += 12 + length;
        }
        return kept.ToArray();
    }
}
