using System.Diagnostics;
using System.Net.Http.Headers;

namespace ExplainApi.Bench;

/// <summary>
/// A closed-loop loopback load generator: <c>clients</c> concurrent callers each send the next request as soon
/// as the previous answer arrived, for a fixed duration (bounded in time and count, loopback only). Throughput
/// counts successful answers; any other status, a timeout or a transport error is counted as an error.
/// </summary>
public static class LoadGenerator
{
    public sealed record Result(int Clients, double Seconds, int Succeeded, int Failed, LatencySample Latency, string? FirstError)
    {
        public double RequestsPerSecond => Succeeded / Seconds;
    }

    public static async Task<Result> RunAsync(HttpClient client, Func<HttpRequestMessage> request, int clients, TimeSpan duration, int maxRequests = 100_000)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var latency = new LatencySample();
        var gate = new Lock();
        int succeeded = 0, failed = 0, sent = 0;
        string? firstError = null;
        var watch = Stopwatch.StartNew();
        async Task Caller()
        {
            while (watch.Elapsed < duration && Interlocked.Increment(ref sent) <= maxRequests)
            {
                var one = Stopwatch.StartNew();
                string? error;
                try
                {
                    using var message = request();
                    using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                    error = response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    error = exception.Message;
                }

                lock (gate)
                {
                    if (error is null)
                    {
                        latency.Add(one.Elapsed);
                        succeeded++;
                    }
                    else
                    {
                        failed++;
                        firstError ??= error.Length > 300 ? error[..300] : error;
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Caller)));
        return new Result(clients, watch.Elapsed.TotalSeconds, succeeded, failed, latency, firstError);
    }

    /// <summary>A POST of a PNG body with the key and an Accept header.</summary>
    public static Func<HttpRequestMessage> PngPost(string path, byte[] png, string apiKey, string accept) => () =>
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new ByteArrayContent(png),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return message;
    };
}
