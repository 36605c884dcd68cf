using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RunApi.Client.Downloads
{
    /// <summary>
    /// Passes an image through to a file, inserting its <see cref="ImageMetadata"/> where the format keeps text: after
    /// a PNG's IHDR chunk, or after a JPEG's start marker and leading APP0/APP1 segment. It holds back only the few
    /// bytes it needs to find that place; any other format passes through unchanged. A PNG's own text chunks under the
    /// keywords it writes are left out (<see cref="PngTextFilter"/>), so the file says only what was asked.
    /// </summary>
    internal sealed class EmbeddingStream : Stream
    {
        private const int PngHeadLength = 8 + 4 + 4 + 13 + 4; // signature, then IHDR: length, type, data, CRC

        private readonly Stream _inner;
        private readonly ImageMetadata _metadata;
        private byte[] _held = new byte[64];
        private int _heldLength;
        private bool _passing;
        private PngTextFilter? _pngRest;

        public EmbeddingStream(Stream inner, ImageMetadata metadata)
        {
            _inner = inner;
            _metadata = metadata;
        }

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (_pngRest is not null)
            {
                await _pngRest.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
                return;
            }
            if (_passing)
            {
                await _inner.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
                return;
            }
            Hold(buffer, offset, count);
            var insertAt = InsertionPoint();
            if (insertAt is null) return; // not enough bytes yet to know
            _passing = true;
            var at = insertAt.Value;
            await _inner.WriteAsync(_held, 0, at < 0 ? _heldLength : at, cancellationToken).ConfigureAwait(false);
            if (at < 0) return;
            var png = _held[0] == 0x89;
            var insert = png ? _metadata.PngChunks() : _metadata.JpegComment();
            await _inner.WriteAsync(insert, 0, insert.Length, cancellationToken).ConfigureAwait(false);
            if (png)
            {
                _pngRest = new PngTextFilter(_inner, _metadata.Entries.Select(e => e.Key));
                await _pngRest.WriteAsync(_held, at, _heldLength - at, cancellationToken).ConfigureAwait(false);
                return;
            }
            await _inner.WriteAsync(_held, at, _heldLength - at, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Where the metadata goes; -1 for a body it does not go into; null while more bytes are needed.</summary>
        private int? InsertionPoint()
        {
            var b = _held;
            var n = _heldLength;
            if (n < 4) return null;
            if (b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G')
            {
                if (n < PngHeadLength) return null;
                var isIhdr = b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R' && b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 13;
                return isIhdr ? PngHeadLength : -1;
            }
            if (b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
            {
                if (b[3] != 0xE0 && b[3] != 0xE1) return 2; // no JFIF/Exif segment first: right after the start marker
                if (n < 6) return null;
                var length = (b[4] << 8) | b[5];
                if (length < 2) return -1; // a malformed segment: the bytes pass through as they are
                var end = 4 + length; // the segment starts at 2: its marker, then its length, which counts itself
                return n < end ? (int?)null : end;
            }
            return -1;
        }

        private void Hold(byte[] buffer, int offset, int count)
        {
            if (_heldLength + count > _held.Length) Array.Resize(ref _held, Math.Max(_held.Length * 2, _heldLength + count));
            Buffer.BlockCopy(buffer, offset, _held, _heldLength, count);
            _heldLength += count;
        }

        /// <summary>Writes what is still held (a body too short to have a place for the metadata).</summary>
        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_pngRest is not null) await _pngRest.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (!_passing && _heldLength > 0)
            {
                _passing = true;
                await _inner.WriteAsync(_held, 0, _heldLength, cancellationToken).ConfigureAwait(false);
            }
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
