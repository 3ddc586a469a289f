using System.Net;
using System.Net.Sockets;
using System.Text;
using ExplainApi.Host.Tests.Browser;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Tests.Explaining;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>
/// Body limits per route, on real Kestrel (the in-memory TestServer has no body-size feature): a small server-wide
/// cap, image routes raised to the image limit, the KServe route sized by the model (16 × 1×8×8 values here).
/// </summary>
public sealed class RequestBodyLimitTests(RequestBodyLimitTests.KestrelFixture fixture) : IClassFixture<RequestBodyLimitTests.KestrelFixture>
{
    public sealed class KestrelFixture : IAsyncLifetime
    {
        public LoopbackExplainApiFactory Factory { get; } = new();

        public Uri Address { get; private set; } = null!;

        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Address = Factory.Start();
            Client = new HttpClient { BaseAddress = Address };
            Client.DefaultRequestHeaders.Authorization = new("Bearer", ExplainApiFactory.AdminKey);
            await SaliencyFixture.RegisterAsync(Factory, "conv", TinyConvNet.Exported(), allowResize: false);
            await SaliencyFixture.WaitUntilReadyAsync(Client, "conv", 1);
        }

        public Task DisposeAsync()
        {
            Client.Dispose();
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_kserve_content_length_over_the_models_limit_is_413_before_any_body_byte_is_sent()
    {
        var (status, body) = await HeadersOnlyAsync("/v2/models/conv/explain", "application/json", 100_000_000);

        Assert.Equal(413, status);
        Assert.Contains("urn:explainapi:problem:request-too-large", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_wide_cap_is_small_for_routes_that_take_json()
    {
        var (status, _) = await HeadersOnlyAsync("/v1/jobs", "application/json", 2 * 1024 * 1024);

        Assert.Equal(413, status);
    }

    [Fact]
    public async Task A_json_route_sent_a_whole_body_over_the_cap_answers_our_request_too_large_problem()
    {
        // Chunked, so no Content-Length lets Kestrel refuse it up front: the cap trips while the JSON is bound.
        var (status, text) = await ChunkedAsync("/v1/jobs", "application/json", Encoding.UTF8.GetBytes("{\"kind\":\"" + new string('a', 2 * 1024 * 1024) + "\"}"));

        Assert.True(status == 413, text);
        Assert.Contains("application/problem+json", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("urn:explainapi:problem:request-too-large", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_routes_raise_the_cap_to_the_image_limit()
    {
        // 2 MiB of non-image bytes: over the server-wide cap, under the image limit, so the decoder answers.
        var response = await fixture.Client.PostAsync("/v1/images/inspect", new ByteArrayContent(new byte[2 * 1024 * 1024])
        {
            Headers = { ContentType = new("image/png") },
        });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "urn:explainapi:problem:image-malformed");
    }

    [Fact]
    public async Task Dataset_upload_and_model_import_still_raise_their_own_caps()
    {
        // 2 MiB that is neither a zip nor an ONNX model: refused for what it is, not for its size.
        var dataset = await fixture.Client.PostAsync("/v1/datasets?name=big", new ByteArrayContent(new byte[2 * 1024 * 1024])
        {
            Headers = { ContentType = new("application/zip") },
        });
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(new byte[2 * 1024 * 1024]), "model", "model.onnx" },
            { new StringContent("{}"), "spec" },
        };
        var import = await fixture.Client.PostAsync("/v1/models/import", form);

        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, dataset.StatusCode);
        Assert.True((int)dataset.StatusCode is >= 400 and < 500, await dataset.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, import.StatusCode);
        Assert.True((int)import.StatusCode is >= 400 and < 500, await import.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_chunked_kserve_body_over_the_limit_is_cut_off_with_413()
    {
        // Whitespace inside the data array is legal JSON that never completes a value, so only the limit stops it.
        var head = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"input","datatype":"FP32","data":[0""");
        var body = head.Concat(Enumerable.Repeat((byte)' ', 200_000)).ToArray();
        using var content = new StreamContent(new MemoryStream(body)) { Headers = { ContentType = new("application/json") } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/conv/explain") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await fixture.Client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "urn:explainapi:problem:request-too-large");
    }

    [Fact]
    public async Task A_legal_kserve_request_still_works_on_kestrel()
    {
        var json = KServeRequests.Json([16, 1, 8, 8], [.. Enumerable.Range(0, 16).SelectMany(i => TinyConvNet.Image(i % 4))], new { method = "gradcam" });

        var response = await fixture.Client.PostAsync("/v2/models/conv/explain", KServeRequests.JsonContent(json));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends only the request head (no body byte) and reads the answer: it must come without the body.</summary>
    private async Task<(int Status, string Body)> HeadersOnlyAsync(string path, string contentType, long contentLength)
    {
        using var tcp = new TcpClient();
        var stream = await PostHeadAsync(tcp, path, contentType, $"Content-Length: {contentLength}");
        return await ReadResponseAsync(stream);
    }

    /// <summary>
    /// A chunked body written while the answer is read: the server answers and closes once the cap trips, so writing
    /// the rest may fail (broken pipe) — HttpClient then throws before it reads the answer, which is what is tested.
    /// </summary>
    private async Task<(int Status, string Body)> ChunkedAsync(string path, string contentType, byte[] body)
    {
        using var tcp = new TcpClient();
        var stream = await PostHeadAsync(tcp, path, contentType, "Transfer-Encoding: chunked");
        var writing = Task.Run(async () =>
        {
            try
            {
                for (var offset = 0; offset < body.Length; offset += 64 * 1024)
                {
                    var size = Math.Min(64 * 1024, body.Length - offset);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:x}\r\n"));
                    await stream.WriteAsync(body.AsMemory(offset, size));
                    await stream.WriteAsync("\r\n"u8.ToArray());
                }

                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
            }
            catch (IOException)
            {
                // The server refused the body and closed the connection.
            }
        });
        var answer = await ReadResponseAsync(stream);
        await writing;
        return answer;
    }

    /// <summary>Connects and writes an authenticated POST head whose body is framed by <paramref name="framing"/>.</summary>
    private async Task<NetworkStream> PostHeadAsync(TcpClient tcp, string path, string contentType, string framing)
    {
        await tcp.ConnectAsync(fixture.Address.Host, fixture.Address.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {fixture.Address.Authority}\r\nAuthorization: Bearer {ExplainApiFactory.AdminKey}\r\n" +
            $"Content-Type: {contentType}\r\n{framing}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        return stream;
    }

    private static async Task<(int Status, string Body)> ReadResponseAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (!Complete(Encoding.ASCII.GetString(received.ToArray())))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
        }

        var text = Encoding.ASCII.GetString(received.ToArray());
        return (int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), text);
    }

    /// <summary>The head is in and the body with it: Content-Length bytes, or the last chunk.</summary>
    private static bool Complete(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var length = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is not null
            ? text.Length - end - 4 >= int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
    }
}
