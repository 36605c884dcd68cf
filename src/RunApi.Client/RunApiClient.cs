using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RunApi.Client.Configuration;
using RunApi.Client.Errors;
using RunApi.Client.Http;
using RunApi.Client.Models;
using RunApi.Client.Polling;
using RunApi.Client.Uploads;
using RunApi.Client.Validation;

namespace RunApi.Client
{
    /// <summary>
    /// Calls RunAPI for one key and origin. Cheap to create (one per cmdlet invocation); all instances share the
    /// process's pooled HttpClient. Thread-safe.
    /// </summary>
    internal sealed class RunApiClient
    {
        public const int MaxIdempotencyKeyLength = 512;

        private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new MediaTypeWithQualityHeaderValue("application/json");

        private readonly RunApiSettings _settings;
        private readonly RunApiClientOptions _options;
        private readonly RetryingExecutor _retrying;
        private readonly RequestGate _looks;
        private readonly RequestBudget _budget;

        public RunApiClient(RunApiSettings settings, RunApiClientOptions? options = null)
        {
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _options = options ?? new RunApiClientOptions();
            _retrying = new RetryingExecutor(_options);
            _looks = TaskLookGate.For(_settings);
            _budget = RequestBudget.For(TaskLookGate.Identity(_settings), _options.TimeProvider);
        }

        /// <summary>The bound on task GETs in flight for this origin and key, shared by the whole process.</summary>
        public RequestGate SharedLookGate => _looks;

        public RunApiSettings Settings => _settings;
        public TimeProvider TimeProvider => _options.TimeProvider;

        /// <summary>
        /// Validates and sends one create. Every create carries an Idempotency-Key (a new one unless given), so sending
        /// it again after an unknown outcome returns the same task instead of paying twice.
        /// </summary>
        /// <param name="beforeAttempt">Runs before each attempt, the first and every retry; it may throw to send no more.</param>
        public async Task<CreatedTask> CreateAsync(CreateTaskRequest request, string? idempotencyKey = null,
            CancellationToken cancellationToken = default, Action? beforeAttempt = null)
        {
            RequestValidator.Validate(request);
            var key = string.IsNullOrWhiteSpace(idempotencyKey) ? NewIdempotencyKey() : CheckIdempotencyKey(idempotencyKey!);
            var response = await SendAsync<CreateTaskResponse>(HttpMethod.Post, request.Endpoint.CreatePath,
                request.ToJsonUtf8(), key, taskId: null, cancellationToken, beforeAttempt).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(response.Id)) throw Unusable("sent no task id (the create response has no 'id')", key);
            if (!TaskIds.IsSafe(response.Id))
            {
                throw Unusable($"sent a task id that cannot be looked up safely: {Quote(response.Id)} ({TaskIds.Rule})", key);
            }
            // When the attempt that made the task was sent: not earlier retries, nor the wait for the rate limit, which
            // would inflate the task times the schedule learns.
            return new CreatedTask(request, response, key, response.AskedAt ?? _options.TimeProvider.GetUtcNow());
        }

        /// <summary>
        /// A create RunAPI accepted (so the task exists and is charged) with an answer that cannot be used. Its key is
        /// what gets the task back: sent again, RunAPI answers with the same task and charges nothing.
        /// </summary>
        private static RunApiException Unusable(string what, string key) =>
            new RunApiException(RunApiErrorKind.InvalidResponse,
                $"RunAPI accepted the create, so it is charged, but {what}. Its Idempotency-Key is {key}: the same " +
                "create sent with it gets the same task without a second charge (a journal's rerun does that).")
            { IdempotencyKey = key, CreateAccepted = true };

        /// <summary>
        /// The current state of one task. The GET waits for a place under <paramref name="commandGate"/> (a caller's own
        /// bound), then under the process-wide bound for this origin and key.
        /// </summary>
        public async Task<TaskResponse> GetTaskAsync(TaskEndpoint endpoint, string taskId, CancellationToken cancellationToken = default,
            RequestGate? commandGate = null)
        {
            if (string.IsNullOrWhiteSpace(taskId)) throw new ArgumentException("A task id must not be blank.", nameof(taskId));
            taskId = taskId.Trim();
            if (!TaskIds.IsSafe(taskId))
            {
                throw new RunApiException(RunApiErrorKind.Validation,
                    $"{Quote(taskId)} is not a task id ({TaskIds.Rule}).")
                { Field = "id" };
            }
            TaskResponse task;
            using (commandGate is null ? null : await commandGate.EnterAsync(cancellationToken).ConfigureAwait(false))
            using (await _looks.EnterAsync(cancellationToken).ConfigureAwait(false))
            {
                task = await SendAsync<TaskResponse>(HttpMethod.Get, endpoint.TaskPath(taskId), body: null,
                    idempotencyKey: null, taskId, cancellationToken).ConfigureAwait(false);
            }
            if (string.IsNullOrWhiteSpace(task.Id))
            {
                throw new RunApiException(RunApiErrorKind.InvalidResponse, $"RunAPI answered for task {taskId} without an 'id'.") { TaskId = taskId };
            }
            if (task.Id != taskId)
            {
                throw new RunApiException(RunApiErrorKind.InvalidResponse,
                    $"RunAPI was asked for task {taskId} and answered with task {Quote(task.Id)}; the answer was refused.")
                { TaskId = taskId };
            }
            return task;
        }

        /// <summary>True once RunAPI has answered 429 to this origin and key: every request is paced from then on.</summary>
        internal bool RequestsPaced => _budget.Rate is not null;

        /// <summary>Waits for a task this client created: the looks are timed from its submission, and learned from.</summary>
        public Task<TaskResponse> WaitAsync(CreatedTask created, WaitOptions? options = null, CancellationToken cancellationToken = default) =>
            WaitAsync(created.ToPending(), options, cancellationToken);

        /// <summary>Waits for a task known by its id alone: the first look is at once.</summary>
        public Task<TaskResponse> WaitAsync(TaskEndpoint endpoint, string taskId, WaitOptions? options = null,
            CancellationToken cancellationToken = default) =>
            WaitAsync(new PendingTask(endpoint, taskId), options, cancellationToken);

        /// <summary>Polls one task until it completes (returned), fails or outlives the wait (both thrown).</summary>
        public Task<TaskResponse> WaitAsync(PendingTask task, WaitOptions? options = null, CancellationToken cancellationToken = default) =>
            WaitAsync(task, options, onPoll: null, cancellationToken);

        /// <summary>The same, telling <paramref name="onPoll"/> each answer (the batch keeps the latest for its reports).</summary>
        internal Task<TaskResponse> WaitAsync(PendingTask task, WaitOptions? options, Action<TaskResponse>? onPoll,
            CancellationToken cancellationToken) =>
            new PollLoop(this, _options.TimeProvider, _options.Timings).WaitAsync(task, options ?? new WaitOptions(), onPoll, cancellationToken);

        /// <summary>
        /// Uploads a local PNG, JPEG, WebP or GIF as a temporary file (its URL lives an hour), for use as a remix source.
        /// </summary>
        public Task<UploadedFile> UploadFileAsync(string path, CancellationToken cancellationToken = default) =>
            new FileUploader(this, _options).UploadAsync(path, cancellationToken);

        /// <summary>Why a local file cannot be a remix source (its name or its bytes are not an image), or null.</summary>
        public static string? SourceImageProblem(string path) => FileUploader.ProblemWith(path);

        public Task<AccountBalance> GetBalanceAsync(CancellationToken cancellationToken = default) =>
            SendAsync<AccountBalance>(HttpMethod.Get, "/api/v1/me/balance", null, null, null, cancellationToken);

        /// <summary>Text from the service or the user, shown quoted with control characters escaped and a bounded length.</summary>
        private static string Quote(string text)
        {
            var shown = new StringBuilder();
            foreach (var c in text.Length > 80 ? text.Substring(0, 80) + "..." : text)
            {
                shown.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
            }
            return "'" + shown + "'";
        }

        /// <summary>32 hex characters, as the Go SDK makes them.</summary>
        public static string NewIdempotencyKey() => Guid.NewGuid().ToString("N");

        private static string CheckIdempotencyKey(string key)
        {
            if (key.Length > MaxIdempotencyKeyLength || key.Any(c => c < 0x21 || c > 0x7E))
            {
                throw new RunApiException(RunApiErrorKind.Validation,
                    $"An Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} printable ASCII characters without spaces.")
                { Field = "idempotency_key" };
            }
            return key;
        }

        /// <summary>
        /// Sends one logical request, retried when that is safe: GETs, and POSTs with an Idempotency-Key. A POST without
        /// one (the Files API steps) is sent once, as the SDKs do.
        /// </summary>
        internal Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? body, string? idempotencyKey,
            string? taskId, CancellationToken cancellationToken, Action? beforeAttempt = null) where T : class
        {
            var retrySafe = method == HttpMethod.Get || idempotencyKey is not null;
            return _retrying.ExecuteAsync(method.Method, path, retrySafe, _options.OperationTimeout, token =>
            {
                beforeAttempt?.Invoke();
                return SendOnceAsync<T>(method, path, body, idempotencyKey, taskId, token);
            }, cancellationToken, () => _budget.LastLetThrough);
        }

        private async Task<T> SendOnceAsync<T>(HttpMethod method, string path, byte[]? body, string? idempotencyKey,
            string? taskId, CancellationToken cancellationToken) where T : class
        {
            var time = _options.TimeProvider;
            var key = _settings.ApiKey;
            var rules = new AttemptRules($"{method} {path} on {_settings.BaseUri.GetLeftPart(UriPartial.Authority)}",
                _options.RequestTimeout, time, key, proxy: _options.Proxy, toApi: true);
            var started = time.GetTimestamp();
            HttpAttempt? attempt = null;
            var askedAt = default(DateTimeOffset);
            TimeSpan? retryAfter = null;
            string raw;
            try
            {
                // Looks (GETs) go before creates when the budget is pacing: they find tasks already paid for.
                await _budget.EnterAsync(look: method == HttpMethod.Get, cancellationToken).ConfigureAwait(false);
                askedAt = time.GetUtcNow();
                _options.Sending?.Invoke();
                attempt = await HttpAttempt.SendAsync(SharedHttpClients.Api(_options.Proxy), _settings.BuildUri(path),
                    uri => BuildRequest(method, uri, body, idempotencyKey), rules, cancellationToken).ConfigureAwait(false);
                retryAfter = ErrorResponses.RetryAfterDelay(attempt.Response.Headers.RetryAfter, time.GetUtcNow());
                _budget.Answered(attempt.Status == 429, retryAfter);
                raw = await attempt.ReadTextAsync(_options.MaxApiBodyBytes).ConfigureAwait(false);
            }
            catch (RunApiException failure)
            {
                failure.TaskId ??= taskId;
                Report(method, path, attempt is null ? (int?)null : attempt.Status, attempt?.Header("x-request-id"),
                    time.GetElapsedTime(started), body, null, failure.Message);
                attempt?.Dispose();
                throw;
            }
            catch
            {
                attempt?.Dispose();
                throw;
            }

            using (attempt)
            {
                var requestId = attempt.Header("x-request-id");
                var status = attempt.Status;
                // Masked before anything reads it: a service that echoes the key, escaped or encoded, cannot put it
                // into a message, a task field or a file name. An answer that is not a success may be the proxy's own,
                // so the proxy password is masked there too.
                var safe = status >= 200 && status < 300 ? rules.RedactKey(raw) : rules.Redact(raw);
                Report(method, path, attempt.Status, requestId, time.GetElapsedTime(started), body, safe, null);

                if (status >= 300 && status < 400)
                {
                    throw new RunApiException(RunApiErrorKind.RequestFailed,
                        $"RunAPI answered {method} {path} with a redirect (HTTP {status}) to '{rules.Redact(attempt.Response.Headers.Location?.ToString())}'. " +
                        "Redirects are not followed so the API key never leaves the API origin; check the base URI.")
                    { StatusCode = status, RequestId = requestId, TaskId = taskId };
                }
                if (status < 200 || status >= 300)
                {
                    throw ErrorResponses.Create(status, safe, requestId, attempt.Response.Headers.RetryAfter, time.GetUtcNow(), taskId);
                }
                var value = Deserialize<T>(safe, method, path, requestId, taskId);
                RefuseKeyInNames(value, raw, safe, method, path, requestId, taskId);
                // A poll's answer may say when to look next, as Python's SDK reads it: the poll loop honours it.
                if (value is TaskResponse polled) polled.PollAfter = retryAfter;
                if (value is CreateTaskResponse made) made.AskedAt = askedAt;
                return value;
            }
        }

        private HttpRequestMessage BuildRequest(HttpMethod method, Uri uri, byte[]? body, string? idempotencyKey)
        {
            var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.ApiKey.Reveal());
            request.Headers.Accept.Add(AcceptJson);
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }
            return request;
        }

        /// <summary>
        /// A task id or an image URL that holds the key would carry it into file names, URLs sent to the files host
        /// and output; masking it would point at another task or URL. Such an answer is refused whole.
        /// </summary>
        private void RefuseKeyInNames<T>(T value, string raw, string safe, HttpMethod method, string path, string? requestId,
            string? taskId) where T : class
        {
            if (!(value is IKeyFreeFields checkable)) return;
            // Read from the unmasked text when masking changed it: masking hides the key in the very fields checked.
            var fields = raw == safe ? checkable.KeyFreeFields() : (TryDeserialize<T>(raw) as IKeyFreeFields)?.KeyFreeFields();
            if (fields is null || !fields.Any(_settings.ApiKey.IsIn)) return;
            throw new RunApiException(RunApiErrorKind.InvalidResponse,
                $"RunAPI answered {method} {path} with a task id or image URL that contains the API key, so the answer was refused" +
                $"{(requestId is null ? string.Empty : " (request id " + requestId + ")")}. Report this to RunAPI and rotate the key.")
            { RequestId = requestId, TaskId = taskId };
        }

        private static T? TryDeserialize<T>(string text) where T : class
        {
            try
            {
                return JsonSerializer.Deserialize<T>(text);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static T Deserialize<T>(string text, HttpMethod method, string path, string? requestId, string? taskId) where T : class
        {
            try
            {
                var value = JsonSerializer.Deserialize<T>(text);
                if (value is not null) return value;
            }
            catch (JsonException)
            {
                // Reported below with the request id.
            }
            throw new RunApiException(RunApiErrorKind.InvalidResponse,
                $"RunAPI answered {method} {path} with a body that is not the expected JSON" +
                $"{(requestId is null ? string.Empty : " (request id " + requestId + ")")}.")
            { RequestId = requestId, TaskId = taskId, ResponseBody = text, UnreadableSuccess = true };
        }

        private void Report(HttpMethod method, string path, int? status, string? requestId, TimeSpan elapsed,
            byte[]? requestBody, string? responseText, string? failure)
        {
            var observer = _options.Observer;
            if (observer is null) return;
            var capture = _options.CaptureBodies;
            observer(new HttpExchange(method.Method, path, status, requestId, elapsed,
                capture && requestBody is not null ? BodyRedactor.Redact(Encoding.UTF8.GetString(requestBody), _settings.ApiKey) : null,
                capture ? BodyRedactor.Redact(responseText, _settings.ApiKey) : null,
                failure));
        }
    }
}
