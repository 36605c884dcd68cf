using System;
using System.Threading;
using System.Threading.Tasks;

namespace RunApi.Client.Http
{
    /// <summary>A bound on requests in flight: at most <see cref="Limit"/> holders at once, the others wait in turn.</summary>
    internal sealed class RequestGate
    {
        private readonly SemaphoreSlim _places;

        public RequestGate(int limit)
        {
            if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), limit, "A gate needs at least one place.");
            Limit = limit;
            _places = new SemaphoreSlim(limit, limit);
        }

        public int Limit { get; }

        /// <summary>Places taken now.</summary>
        public int InUse => Limit - _places.CurrentCount;

        /// <summary>Waits for a place; dispose the result to give it back.</summary>
        public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
        {
            await _places.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new Place(_places);
        }

        private sealed class Place : IDisposable
        {
            private SemaphoreSlim? _places;

            public Place(SemaphoreSlim places) => _places = places;

            public void Dispose() => Interlocked.Exchange(ref _places, null)?.Release();
        }
    }
}
