using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace RunApi.Client.Downloads
{
    /// <summary>
    /// Passes a PNG's chunks through to a file, leaving out the text chunks (tEXt, zTXt, iTXt) whose keyword is one this
    /// module writes. The image host's own "Prompt" or "Model" would otherwise sit in the file beside ours, where another
    /// tool may show it as the image's provenance. It holds back at most one chunk's head and keyword (under 100 bytes);
    /// after IEND, or at anything that is not a chunk, the rest passes through as it is.
    /// </summary>
    internal sealed class PngTextFilter
    {
        private const int MaxKeywordLength = 79; // the PNG specification's limit

        private readonly Stream _inner;
        private readonly HashSet<string> _keywords;
        private readonly byte[] _head = new byte[8 + MaxKeywordLength + 1];
        private int _headLength;
        private long _passing; // bytes of the current chunk still to write
        private long _dropping; // bytes of the current chunk still to leave out
        private bool _done; // past IEND or not a chunk: everything passes

        public PngTextFilter(Stream inner, IEnumerable<string> keywords)
        {
            _inner = inner;
            _keywords = new HashSet<string>(keywords, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>Bytes that follow IHDR (the chunks after it), in any pieces.</summary>
        public async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                if (_done)
                {
                    await _inner.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
                    return;
                }
                int used;
                if (_passing > 0)
                {
                    used = (int)Math.Min(_passing, count);
                    await _inner.WriteAsync(buffer, offset, used, cancellationToken).ConfigureAwait(false);
                    _passing -= used;
                }
                else if (_dropping > 0)
                {
                    used = (int)Math.Min(_dropping, count);
                    _dropping -= used;
                }
                else
                {
                    used = Math.Min(Needed() - _headLength, count);
                    Buffer.BlockCopy(buffer, offset, _head, _headLength, used);
                    _headLength += used;
                    if (_headLength == Needed()) await DecideAsync(cancellationToken).ConfigureAwait(false);
                }
                offset += used;
                count -= used;
            }
        }

        /// <summary>What is still held (a file cut inside a chunk's head) is written as it came.</summary>
        public Task FlushAsync(CancellationToken cancellationToken)
        {
            var held = _headLength;
            _headLength = 0;
            _done = true;
            return held > 0 ? _inner.WriteAsync(_head, 0, held, cancellationToken) : Task.CompletedTask;
        }

        /// <summary>How many bytes of the chunk's start decide it: its length and type, then for text, its keyword.</summary>
        private int Needed()
        {
            if (_headLength < 8 || !IsText(Type())) return 8;
            return 8 + (int)Math.Min(DataLength(), MaxKeywordLength + 1);
        }

        private async Task DecideAsync(CancellationToken cancellationToken)
        {
            var whole = 8 + DataLength() + 4; // length, type, data, CRC
            var type = Type();
            if (DataLength() > int.MaxValue || !type.All(char.IsLetter))
            {
                _done = true; // not a chunk: nothing more to understand
            }
            else if (IsText(type) && _keywords.Contains(Keyword()))
            {
                _dropping = whole - _headLength;
                _headLength = 0;
                return;
            }
            else
            {
                _done = type == "IEND";
                _passing = whole - _headLength;
            }
            await _inner.WriteAsync(_head, 0, _headLength, cancellationToken).ConfigureAwait(false);
            _headLength = 0;
        }

        private long DataLength() => ((long)_head[0] << 24) | ((long)_head[1] << 16) | ((long)_head[2] << 8) | _head[3];

        private string Type() => Encoding.ASCII.GetString(_head, 4, 4);

        private static bool IsText(string type) => type == "tEXt" || type == "zTXt" || type == "iTXt";

        private string Keyword()
        {
            var end = Array.IndexOf(_head, (byte)0, 8, _headLength - 8);
            return Encoding.GetEncoding(28591).GetString(_head, 8, (end < 0 ? _headLength : end) - 8);
        }
    }
}
