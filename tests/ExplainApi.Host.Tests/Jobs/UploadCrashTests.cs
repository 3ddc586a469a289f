using System.Net.Http.Headers;
using System.Text;
using ExplainApi.Host.Uploads;

namespace ExplainApi.Host.Tests.Jobs;

/// <summary>
/// A real service process killed with SIGKILL in the middle of a dataset upload leaves its spool file behind
/// (nothing runs on SIGKILL); the next start removes it before taking requests, and no dataset, partial or
/// whole, appears.
/// </summary>
[Trait("Category", "Slow")]
public sealed class UploadCrashTests : IDisposable
{
    private const string Key = "upload-crash-key-0123456789";
    private const string Boundary = "crash-boundary";
    private readonly string _data = Directory.CreateTempSubdirectory("explainapi-upload-crash-").FullName;

    private static readonly Dictionary<string, string> Settings = new() { ["ExplainApi__RateLimit__PermitsPerWindow"] = "100000" };

    private string Spool => Path.Combine(_data, SpoolFolder.FolderName);

    private string Datasets => Path.Combine(_data, "datasets");

    [Fact]
    public async Task A_service_killed_mid_upload_leaves_no_spool_file_or_dataset_after_restart()
    {
        using (var first = await ServiceProcess.StartAsync(_data, Key, Settings))
        {
            using var client = Client(first);
            using var stop = new CancellationTokenSource();
            var content = new EndlessArchiveContent(stop.Token);
            var upload = client.PostAsync("/v1/datasets", content, stop.Token);

            var spooled = await WaitForAsync(() => Directory.Exists(Spool) && Directory.EnumerateFiles(Spool).Any(f => new FileInfo(f).Length > 0));
            Assert.True(spooled, "the upload should be spooling when the process is killed");
            first.Kill();
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => upload);
        }

        Assert.NotEmpty(Directory.EnumerateFiles(Spool)); // SIGKILL ran no cleanup: the leftover is there
        using var second = await ServiceProcess.StartAsync(_data, Key, Settings);

        Assert.Empty(Directory.EnumerateFileSystemEntries(Spool));
        Assert.Empty(Directory.Exists(Datasets) ? Directory.EnumerateFileSystemEntries(Datasets) : []);
        using var restarted = Client(second);
        Assert.Contains("\"uploaded\":[]", await restarted.GetStringAsync("/v1/datasets"), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static HttpClient Client(ServiceProcess service)
    {
        var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>A multipart archive part that keeps coming, slowly, until the test stops it: an upload in progress.</summary>
    private sealed class EndlessArchiveContent : HttpContent
    {
        private readonly CancellationToken _stop;

        public EndlessArchiveContent(CancellationToken stop)
        {
            _stop = stop;
            Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"--{Boundary}\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"big.zip\"\r\nContent-Type: application/zip\r\n\r\n"), _stop);
            var chunk = new byte[64 * 1024];
            while (!_stop.IsCancellationRequested)
            {
                await stream.WriteAsync(chunk, _stop);
                await stream.FlushAsync(_stop);
                await Task.Delay(20, _stop);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
