using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using RunApi.Client.Configuration;

namespace RunApi.Client.Http
{
    /// <summary>
    /// The one bound on task GETs (polls and Get-ImagenTask) in flight for an API origin and key, shared by every
    /// command and runspace of the process: 10,000 waiting tasks never open more than <see cref="MaxConcurrentLooks"/>
    /// requests, and never starve another runspace of the shared HttpClient's connections.
    /// </summary>
    internal static class TaskLookGate
    {
        /// <summary>
        /// A quarter of the shared client's 64 connections per server, so creates, uploads and other keys keep the
        /// rest. A look takes milliseconds on the simulator and perhaps a few hundred against the service, so 16 in
        /// flight allow from about 50 to over 1,000 looks a second: more than a key's rate limit is likely to.
        /// </summary>
        public const int MaxConcurrentLooks = 16;

        private static readonly ConcurrentDictionary<string, RequestGate> Gates =
            new ConcurrentDictionary<string, RequestGate>(StringComparer.Ordinal);

        public static RequestGate For(RunApiSettings settings) =>
            Gates.GetOrAdd(Identity(settings), _ => new RequestGate(MaxConcurrentLooks));

        /// <summary>An origin and key, the key kept as a hash: these tables must not become one more place where it lives.</summary>
        internal static string Identity(RunApiSettings settings)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(settings.ApiKey.Reveal()));
            return settings.BaseUri.GetLeftPart(UriPartial.Authority) + "|" + Convert.ToBase64String(hash);
        }
    }
}
