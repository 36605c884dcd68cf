using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using RunApi.Client.Configuration;

namespace RunApi.Client.Polling
{
    /// <summary>
    /// Learned task times kept between processes, so that a scheduled script's first batch is timed as well as a warm
    /// one: one small JSON file per user in the platform's cache folder, keyed by API origin and model, with no key or
    /// prompt in it. A cache: anything wrong with it is ignored. RUNAPI_NO_TIMINGS_CACHE=1 turns it off;
    /// RUNAPI_TIMINGS_PATH chooses the file (then loopback origins, such as the simulator's, are kept too).
    /// </summary>
    internal sealed class TimingsFile
    {
        private readonly string _path;
        private readonly bool _keepsLoopback;
        private readonly object _gate = new object();
        private Dictionary<string, double[]>? _loaded;

        public TimingsFile(string path, bool keepsLoopback)
        {
            _path = path;
            _keepsLoopback = keepsLoopback;
        }

        public string Path => _path;

        public static TimingsFile? FromEnvironment(Func<string, string?>? environment = null)
        {
            environment ??= Environment.GetEnvironmentVariable;
            if (environment("RUNAPI_NO_TIMINGS_CACHE") == "1") return null;
            if (environment("RUNAPI_TIMINGS_PATH") is { Length: > 0 } chosen) return new TimingsFile(chosen, keepsLoopback: true);
            var folder = CacheFolder(environment);
            return folder is null ? null : new TimingsFile(System.IO.Path.Combine(folder, "RunApi", "task-timings.json"), keepsLoopback: false);
        }

        /// <summary>Where the platform keeps per-user caches.</summary>
        private static string? CacheFolder(Func<string, string?> environment)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            var home = environment("HOME");
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return home is null ? null : System.IO.Path.Combine(home, "Library", "Caches");
            return environment("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : home is null ? null : System.IO.Path.Combine(home, ".cache");
        }

        public bool Keeps(Uri origin) => _keepsLoopback || !RunApiSettings.IsLoopback(origin);

        public IReadOnlyList<double> Load(string originAndModel)
        {
            lock (_gate)
            {
                _loaded ??= Read();
                return _loaded.TryGetValue(originAndModel, out var seconds) ? seconds : Array.Empty<double>();
            }
        }

        /// <summary>Writes these times over what the file holds for them, keeping its other entries (another origin's).</summary>
        public void Save(IReadOnlyDictionary<string, double[]> times)
        {
            if (times.Count == 0) return;
            lock (_gate)
            {
                try
                {
                    var all = Read();
                    foreach (var entry in times) all[entry.Key] = entry.Value;
                    Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
                    var temporary = _path + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
                    File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new TimingsDocument { Format = 1, Timings = all }));
                    if (File.Exists(_path)) File.Replace(temporary, _path, null);
                    else File.Move(temporary, _path);
                    _loaded = all;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // A cache: a read-only home or a race with another process only means less is kept.
                }
            }
        }

        private Dictionary<string, double[]> Read()
        {
            try
            {
                if (!File.Exists(_path)) return new Dictionary<string, double[]>(StringComparer.Ordinal);
                var document = JsonSerializer.Deserialize<TimingsDocument>(File.ReadAllBytes(_path));
                return document?.Format == 1 && document.Timings is { } timings
                    ? new Dictionary<string, double[]>(timings, StringComparer.Ordinal)
                    : new Dictionary<string, double[]>(StringComparer.Ordinal);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException)
            {
                return new Dictionary<string, double[]>(StringComparer.Ordinal);
            }
        }

        private sealed class TimingsDocument
        {
            public int Format { get; set; }
            public Dictionary<string, double[]>? Timings { get; set; }
        }
    }
}
