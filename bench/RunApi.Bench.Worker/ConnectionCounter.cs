using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace RunApi.Bench.Worker
{
    /// <summary>
    /// Counts the HTTP connections this process opens, per host:port, from the runtime's own "System.Net.Http"
    /// telemetry (event ConnectionEstablished). That sees every connection of every HttpClient in the process, ours
    /// (whose handler is private to the client core) and the baseline's alike, without touching either.
    /// </summary>
    internal sealed class ConnectionCounter : EventListener
    {
        private const string HttpSource = "System.Net.Http";
        private readonly object _gate = new object();
        private readonly Dictionary<string, int> _opened = new Dictionary<string, int>(StringComparer.Ordinal);

        public Dictionary<string, int> Snapshot()
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_opened, StringComparer.Ordinal);
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            // Informational is the level of ConnectionEstablished; no keywords are needed for it.
            if (eventSource.Name == HttpSource) EnableEvents(eventSource, EventLevel.Informational);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName != "ConnectionEstablished" || e.PayloadNames is null || e.Payload is null) return;
            var host = Field(e, "host");
            var port = Field(e, "port");
            var origin = $"{host}:{port}";
            lock (_gate)
            {
                _opened[origin] = _opened.TryGetValue(origin, out var count) ? count + 1 : 1;
            }
        }

        private static string Field(EventWrittenEventArgs e, string name)
        {
            var index = e.PayloadNames!.IndexOf(name);
            return index < 0 ? "?" : Convert.ToString(e.Payload![index], CultureInfo.InvariantCulture) ?? "?";
        }
    }
}
