using System.Net.Sockets;
using System.Text;
using ExplainApi.Host.Logging;
using ExplainApi.Host.Tests.Browser;
using ExplainApi.Host.Tests.Infrastructure;
using Serilog.Events;
using static ExplainApi.Host.Tests.Datasets.DatasetArchives;
using static ExplainApi.Host.Tests.Uploads.MultipartBodies;

namespace ExplainApi.Host.Tests.Uploads;

/// <summary>
/// What an integration whose connection breaks sends, through real Kestrel: the headers promise a length, half the
/// body arrives, then the client's side closes. Kestrel treats that as the client gone (the request is cancelled and
/// no answer reaches it): nothing is recorded as a server error or logged as an error, and no spool file is kept.
/// </summary>
public sealed class DroppedConnectionTests : IDisposable
{
    private readonly LoopbackExplainApiFactory _factory = new();

    [Theory]
    [InlineData("/v1/images/inspect", "image")]
    [InlineData("/v1/models/import", "model")]
    [InlineData("/v1/datasets", "archive")]
    public async Task A_multipart_upload_whose_connection_drops_half_way_is_no_server_error_and_keeps_no_spool_file(string route, string field)
    {
        var part = field switch
        {
            "model" => new Part("model", "model.onnx", "application/octet-stream", new byte[256 * 1024]),
            "archive" => new Part("archive", "a.zip", "application/zip", Zip(TwoClasses(2))),
            _ => Png(field, size: 64),
        };
        var body = Build(Boundary, part);

        var status = await SendHalfAsync(route, $"multipart/form-data; boundary={Boundary}", body);

        Assert.Contains(status, new[] { 400, RequestLoggingMiddleware.ClientClosedRequest }); // never logged as a success or a server error
        Assert.DoesNotContain(_factory.LogEvents, e => e.Level >= LogEventLevel.Error);
        AssertSpoolClean(_factory);
    }

    [Fact]
    public async Task A_raw_image_whose_connection_drops_half_way_is_no_server_error()
    {
        var status = await SendHalfAsync("/v1/images/inspect", "image/png", TestImages.Gradient8(64, 64));

        Assert.Contains(status, new[] { 400, RequestLoggingMiddleware.ClientClosedRequest }); // never logged as a success or a server error
        Assert.DoesNotContain(_factory.LogEvents, e => e.Level >= LogEventLevel.Error);
    }

    public void Dispose() => _factory.Dispose();

    /// <summary>Declares the whole body's length, sends half of it, closes the sending side; the status the server recorded.</summary>
    private async Task<int> SendHalfAsync(string route, string contentType, byte[] body)
    {
        var address = _factory.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var stream = client.GetStream();
        var head = $"POST {route} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {ExplainApiFactory.AdminKey}\r\n" +
            $"Content-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
        client.Client.Shutdown(SocketShutdown.Send);

        using var reader = new StreamReader(stream, Encoding.UTF8);
        try
        {
            await reader.ReadToEndAsync(); // the server closes the connection once it is done with the request
        }
        catch (IOException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            // Kestrel may reset rather than close a connection whose client stopped sending: also "done with it".
        }

        // The request log event is written when the pipeline unwinds, possibly just after the connection closed.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_factory.LogEvents.FirstOrDefault(e => e.Properties.TryGetValue("RoutePattern", out var pattern)
                && pattern.ToString().Trim('"').TrimEnd('/') == route) is { } logged)
            {
                return int.Parse(logged.Properties["StatusCode"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The request was never logged: " + string.Join("\n", Rendered(_factory.LogEvents)));
    }
}
