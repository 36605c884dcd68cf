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
    public sealed class RunApiClient
    {
        public const int MaxIdempotencyKeyLength = 512;

        private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new MediaTypeWithQualityHeaderValue("application/json");

        private readonly RunApiSettings _settings;
        private readonly RunApiClientOptions _options;
        private readonly RetryingExecutor _retrying;
        private readonly RequestGate _looks;

        public RunApiClient(RunApiSettings settings, RunApiClientOptions? options = null)
        {
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _options = options ?? new RunApiClientOptions();
            _retrying = new RetryingExecutor(_options);
            _looks = TaskLookGate.For(_settings);
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
            var submittedAt = _options.TimeProvider.GetUtcNow();

            var response = await SendAsync<CreateTaskResponse>(HttpMethod.Post, request.Endpoint.CreatePath,
                request.ToJsonUtf8(), key, taskId: null, cancellationToken, beforeAttempt).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(response.Id))
            {
                throw new RunApiException(RunApiErrorKind.InvalidResponse,
                    "RunAPI accepted the create but sent no task id (the create response has no 'id').");
            }
            return new CreatedTask(request, response, key, submittedAt);
        }

        /// <summary>
        /// The current state of one task. The GET waits for a place under <paramref name="commandGate"/> (a caller's own
        /// bound), then under the process-wide bound for this origin and key.
        /// </summary>
        public async Task<TaskResponse> GetTaskAsync(TaskEndpoint endpoint, string taskId, CancellationToken cancellationToken = default,
            RequestGate? commandGate = null)
        {
            if (string.IsNullOrWhiteSpace(taskId)) throw new ArgumentException("A task id must not be blank.", nameof(taskId));
            TaskResponse task;
            using (commandGate is null ? null : await commandGate.EnterAsync(cancellationToken).ConfigureAwait(false))
            using (await _looks.EnterAsync(cancellationToken).ConfigureAwait(false))
            {
                task = await SendAsync<TaskResponse>(HttpMethod.Get, endpoint.TaskPath(taskId.Trim()), body: null,
                    idempotencyKey: null, taskId, cancellationToken).ConfigureAwait(false);
            }
            if (string.IsNullOrWhiteSpace(task.Id))
            {
                throw new RunApiException(RunApiErrorKind.InvalidResponse, $"RunAPI answered for task {taskId} without an 'id'.") { TaskId = taskId };
            }
            return task;
        }

        /// <summary>Waits for a task this client created: the schedule counts from its submission and learns from it.</summary>
        public Task<TaskResponse> WaitAsync(CreatedTask created, WaitOptions? options = null, CancellationToken cancellationToken = default)
        {
            // A copy: the caller's options may serve many tasks, each with its own submission time and model.
            var timed = new WaitOptions
            {
                PollInterval = options?.PollInterval,
                Timeout = options?.Timeout ?? WaitOptions.DefaultTimeout,
                SubmittedAt = options?.SubmittedAt ?? created.SubmittedAt,
                Model = options?.Model ?? created.Request.Model,
                Looks = options?.Looks,
            };
            return WaitAsync(created.Endpoint, created.Id, timed, null, cancellationToken);
        }

        /// <summary>Polls one task until it completes (returned), fails or outlives the wait (both thrown).</summary>
        public Task<TaskResponse> WaitAsync(TaskEndpoint endpoint, string taskId, WaitOptions? options = null,
            Action<TaskResponse>? onPoll = null, CancellationToken cancellationToken = default) =>
            new TaskWaiter(this, _options.TimeProvider, _options.Timings).WaitAsync(endpoint, taskId, options ?? new WaitOptions(), onPoll, cancellationToken);

        /// <summary>
        /// Uploads a local PNG, JPEG, WebP or GIF as a temporary file (its URL lives an hour), for use as a remix source.
        /// </summary>
        public Task<UploadedFile> UploadFileAsync(string path, CancellationToken cancellationToken = default) =>
            new FileUploader(this, _options).UploadAsync(path, cancellationToken);

        /// <summary>True for the file types <see cref="UploadFileAsync"/> takes (by extension).</summary>
        public static bool IsUploadableImage(string path) => FileUploader.IsSupportedImage(path);

        public Task<AccountBalance> GetBalanceAsync(CancellationToken cancellationToken = default) =>
            SendAsync<AccountBalance>(HttpMethod.Get, "/api/v1/me/balance", null, null, null, cancellationToken);

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
            }, cancellationToken);
        }

        private async Task<T> SendOnceAsync<T>(HttpMethod method, string path, byte[]? body, string? idempotencyKey,
            string? taskId, CancellationToken cancellationToken) where T : class
        {
            var time = _options.TimeProvider;
            using var request = new HttpRequestMessage(method, _settings.BuildUri(path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.ApiKey.Reveal());
            request.Headers.Accept.Add(AcceptJson);
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }

            using var timeout = time.CreateCancellationTokenSource(_options.RequestTimeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var started = time.GetTimestamp();
            string responseText;
            HttpResponseMessage response;
            try
            {
                response = await SharedHttpClients.Api.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
                responseText = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex.IsTransportFailure(cancellationToken))
            {
                var failure = TransportFailure(ex, method, path, timeout.IsCancellationRequested, taskId);
                Report(method, path, null, null, time.GetElapsedTime(started), body, null, failure.Message);
                throw failure;
            }

            using (response)
            {
                var requestId = response.Headers.TryGetValues("x-request-id", out var ids) ? ids.FirstOrDefault() : null;
                var safeText = _settings.ApiKey.Redact(responseText);
                Report(method, path, (int)response.StatusCode, requestId, time.GetElapsedTime(started), body, safeText, null);

                var status = (int)response.StatusCode;
                if (status >= 300 && status < 400)
                {
                    throw new RunApiException(RunApiErrorKind.RequestFailed,
                        $"RunAPI answered {method} {path} with a redirect (HTTP {status}) to '{response.Headers.Location}'. " +
                        "Redirects are not followed so the API key never leaves the API origin; check the base URI.")
                    { StatusCode = status, RequestId = requestId, TaskId = taskId };
                }
                if (status < 200 || status >= 300)
                {
                    throw ErrorResponses.Create(status, safeText, requestId, response.Headers.RetryAfter, time.GetUtcNow(), taskId);
                }
                return Deserialize<T>(safeText, method, path, requestId, taskId);
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

        private RunApiException TransportFailure(Exception ex, HttpMethod method, string path, bool timedOut, string? taskId)
        {
            var origin = _settings.BaseUri.GetLeftPart(UriPartial.Authority);
            return timedOut
                ? new RunApiException(RunApiErrorKind.Timeout,
                    $"{method} {path} on {origin} did not answer within {_options.RequestTimeout.TotalSeconds:0} s.", ex) { TaskId = taskId }
                : new RunApiException(RunApiErrorKind.Network,
                    $"{method} {path} on {origin} failed before a complete answer arrived: {ex.RootMessage()}", ex) { TaskId = taskId };
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
