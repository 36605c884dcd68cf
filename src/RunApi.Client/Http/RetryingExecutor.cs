using System;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using RunApi.Client.Errors;

namespace RunApi.Client.Http
{
    /// <summary>
    /// Runs one logical request with retries (Polly), inside an overall deadline. Only retry-safe requests are retried:
    /// GETs, and POSTs that carry an Idempotency-Key (a retried create then returns the same task, never a second
    /// charge). A Retry-After longer than what is left of the deadline is not waited for: the error is returned.
    /// </summary>
    internal sealed class RetryingExecutor
    {
        private static readonly ResiliencePropertyKey<RequestInfo> InfoKey = new ResiliencePropertyKey<RequestInfo>("runapi.request");

        private readonly RunApiClientOptions _options;
        private readonly ResiliencePipeline _pipeline;

        public RetryingExecutor(RunApiClientOptions options)
        {
            _options = options;
            var retry = options.Retry;
            var builder = new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider };
            if (retry.MaxRetries > 0)
            {
                builder.AddRetry(new RetryStrategyOptions
                {
                    // Bounded in ShouldRetry instead: a 429 does not use up a retry (the shared request budget paces
                    // the sending again), so no prompt is lost to a rate limit; only the deadline ends those.
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = retry.BaseDelay,
                    MaxDelay = retry.MaxDelay,
                    ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome.Exception, args.Context)),
                    DelayGenerator = args => new ValueTask<TimeSpan?>((args.Outcome.Exception as RunApiException)?.RetryAfter),
                    OnRetry = args =>
                    {
                        Notify(args.Context, args.RetryDelay, args.Outcome.Exception);
                        return default;
                    },
                });
            }
            _pipeline = builder.Build();
        }

        /// <param name="retrySafe">True for GETs and for POSTs that carry an Idempotency-Key.</param>
        /// <param name="overallTimeout">The deadline of all attempts and waits together.</param>
        /// <param name="limitLetThrough">When the key's rate limit last let a request through (any request, any command).</param>
        public async Task<T> ExecuteAsync<T>(string method, string path, bool retrySafe, TimeSpan overallTimeout,
            Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken, Func<DateTimeOffset?>? limitLetThrough = null)
        {
            var time = _options.TimeProvider;
            using var deadline = time.CreateCancellationTokenSource(overallTimeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            var info = new RequestInfo(method, path, retrySafe, time.GetUtcNow(), time.GetUtcNow() + overallTimeout) { LimitLetThrough = limitLetThrough };
            var context = ResilienceContextPool.Shared.Get(linked.Token);
            context.Properties.Set(InfoKey, info);
            try
            {
                return await _pipeline.ExecuteAsync(
                    async (ctx, _) =>
                    {
                        try
                        {
                            return await attempt(ctx.CancellationToken).ConfigureAwait(false);
                        }
                        catch (RunApiException error)
                        {
                            info.Failed(error, time.GetUtcNow());
                            throw;
                        }
                    },
                    context, 0).ConfigureAwait(false);
            }
            catch (RunApiException ex) when (info.OnlyRefused && ex.Kind == RunApiErrorKind.RateLimited)
            {
                throw RateLimitNeverLifted(method, path, info, ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                if (info.OnlyRefused && info.LastError is { Kind: RunApiErrorKind.RateLimited } refused)
                {
                    throw RateLimitNeverLifted(method, path, info, refused);
                }
                throw new RunApiException(RunApiErrorKind.Timeout,
                    $"{method} {path} did not succeed within {overallTimeout.TotalSeconds:0} s" +
                    (info.LastError is null ? "." : $"; the last attempt failed with: {info.LastError.Message}"), ex)
                { TaskId = info.LastError?.TaskId, RequestId = info.LastError?.RequestId };
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        /// <summary>Every attempt was answered 429 until the patience (or the deadline) ran out: RunAPI acted on none.</summary>
        private RunApiException RateLimitNeverLifted(string method, string path, RequestInfo info, RunApiException last)
        {
            var seconds = (_options.TimeProvider.GetUtcNow() - info.Started).TotalSeconds;
            var said = last.ServiceMessage is { Length: > 0 } message ? $" \"{message}\"" : string.Empty;
            var id = last.RequestId is { } requestId ? $" (request id {requestId})" : string.Empty;
            var times = info.Refusals == 1 ? "once" : $"{info.Refusals} times in {seconds:0} s";
            var asked = last.RetryAfter is { } wait ? $"; the last answer asked to wait {wait.TotalSeconds:0} s more" : string.Empty;
            var charged = method == "POST" ? " Nothing was charged: every answer was a refusal." : string.Empty;
            return new RunApiException(RunApiErrorKind.RateLimited,
                $"RunAPI's rate limit for this key refused {method} {path} with HTTP 429{said}{id} {times}{asked}.{charged}", last)
            {
                StatusCode = last.StatusCode,
                RequestId = last.RequestId,
                ServiceMessage = last.ServiceMessage,
                Code = last.Code,
                RetryAfter = last.RetryAfter,
                ResponseBody = last.ResponseBody,
                TaskId = last.TaskId,
                EveryAttemptRefused = true,
            };
        }

        private bool ShouldRetry(Exception? exception, ResilienceContext context)
        {
            if (!(exception is RunApiException error) || !error.IsTransient) return false;
            var info = context.Properties.GetValue(InfoKey, null!);
            if (info is null || !info.RetrySafe) return false;
            var now = _options.TimeProvider.GetUtcNow();
            if (error.Kind == RunApiErrorKind.RateLimited)
            {
                // A 429 uses up no retry, only patience: how long this request has been refused without a break, while
                // the limit let nothing of this key through (a busy limit that lets others through is lifting).
                var since = info.RefusedSince;
                if (info.LimitLetThrough?.Invoke() is { } through && through > since) since = through;
                if (now + (error.RetryAfter ?? TimeSpan.Zero) - since > _options.Retry.RateLimitPatience) return false;
            }
            else if (++info.Failures > _options.Retry.MaxRetries)
            {
                return false;
            }
            // Honour Retry-After only within the deadline: waiting past it would end in a timeout anyway.
            return error.RetryAfter is null || now + error.RetryAfter.Value < info.Deadline;
        }

        private void Notify(ResilienceContext context, TimeSpan delay, Exception? exception)
        {
            var observer = _options.RetryObserver;
            var info = context.Properties.GetValue(InfoKey, null!);
            if (observer is null || info is null) return;
            var reason = exception is RunApiException { StatusCode: not null } api
                ? $"HTTP {api.StatusCode}{(api.RequestId is null ? string.Empty : " (request id " + api.RequestId + ")")}"
                : exception?.Message ?? "failed";
            var rateLimited = exception is RunApiException { Kind: RunApiErrorKind.RateLimited };
            observer(new RetryNotice(info.Method, info.Path, rateLimited ? 0 : info.Failures, _options.Retry.MaxRetries, delay, reason));
        }

        private sealed class RequestInfo
        {
            public RequestInfo(string method, string path, bool retrySafe, DateTimeOffset started, DateTimeOffset deadline)
            {
                Method = method;
                Path = path;
                RetrySafe = retrySafe;
                Started = started;
                Deadline = deadline;
            }

            public string Method { get; }
            public string Path { get; }
            public bool RetrySafe { get; }
            public DateTimeOffset Started { get; }
            public DateTimeOffset Deadline { get; }
            public RunApiException? LastError { get; private set; }
            public Func<DateTimeOffset?>? LimitLetThrough { get; set; }

            /// <summary>Failed attempts other than 429s: what MaxRetries bounds.</summary>
            public int Failures { get; set; }

            /// <summary>429 answers so far, and when the latest run of them without a break began.</summary>
            public int Refusals { get; private set; }
            public DateTimeOffset RefusedSince { get; private set; }

            /// <summary>Some attempt may have reached RunAPI and been acted on (a 5xx, a cut or timed-out connection).</summary>
            public bool MayHaveArrived { get; set; }

            /// <summary>Every attempt was refused with 429: RunAPI acted on none of them.</summary>
            public bool OnlyRefused => Refusals > 0 && !MayHaveArrived;

            public void Failed(RunApiException error, DateTimeOffset at)
            {
                if (error.Kind == RunApiErrorKind.RateLimited)
                {
                    if (LastError?.Kind != RunApiErrorKind.RateLimited) RefusedSince = at;
                    Refusals++;
                }
                else if (error.IsTransient)
                {
                    MayHaveArrived = true;
                }
                LastError = error;
            }
        }
    }
}
