namespace RunApi.Client.Downloads
{
    /// <summary>The CRC-32 that PNG chunks end with (ISO 3309, polynomial 0xEDB88320, reflected).</summary>
    internal static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        public static uint Of(byte[] data, int offset, int count)
        {
            var crc = 0xFFFFFFFFu;
            for (var i = offset; i < offset + count; i++) crc = Table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            return crc ^ 0xFFFFFFFFu;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            return table;
        }
    }
}
