using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.Api;

public sealed class HealthTests
{
    [Fact]
    public async Task Readiness_reports_the_store_and_is_ready_on_a_fresh_data_folder()
    {
        using var factory = new ExplainApiFactory();
        var response = await factory.CreateClient(apiKey: null).GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("ready").GetBoolean());
        var store = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "store");
        Assert.Equal("Healthy", store.GetProperty("status").GetString());
        Assert.Equal("sqlite", store.GetProperty("data").GetProperty("engine").GetString());
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "explainapi.db")));
    }

    [Fact]
    public async Task Readiness_is_503_problem_when_the_store_is_unusable_while_liveness_stays_200()
    {
        using var factory = new ExplainApiFactory();
        var client = factory.CreateClient(apiKey: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);

        // Overwrite the database with bytes that are not SQLite: every query now fails.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var db = Path.Combine(factory.DataDirectory, "explainapi.db");
        File.WriteAllBytes(db, new byte[8192]);
        File.WriteAllBytes(db, System.Text.Encoding.ASCII.GetBytes(new string('x', 8192)));
        foreach (var sidecar in new[] { db + "-wal", db + "-shm" })
        {
            File.Delete(sidecar);
        }

        foreach (var path in new[] { "/healthz/ready", "/v2/health/ready" })
        {
            var problem = await ProblemAssert.IsProblemAsync(await client.GetAsync(path), HttpStatusCode.ServiceUnavailable, ProblemTypes.NotReady);
            Assert.Contains("store", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(factory.DataDirectory, problem.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        var live = await (await client.GetAsync("/v2/health/live")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(live.GetProperty("live").GetBoolean());
    }

    [Fact]
    public async Task Readiness_reports_free_disk_space_and_is_503_naming_the_disk_check_below_the_minimum()
    {
        using var healthy = new ExplainApiFactory();
        var ready = await healthy.CreateClient(apiKey: null).GetFromJsonAsync<JsonElement>("/healthz/ready");
        var disk = ready.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "disk");
        Assert.Equal(1L << 30, disk.GetProperty("data").GetProperty("minFreeBytes").GetInt64());

        using var factory = new FullDiskFactory();
        var client = factory.CreateClient(apiKey: null);
        foreach (var path in new[] { "/healthz/ready", "/v2/health/ready" })
        {
            var response = await client.GetAsync(path);
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.NotReady);
            Assert.StartsWith("disk: The data folder's disk has", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(factory.DataDirectory, problem.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
    }

    [Fact]
    public async Task A_fresh_start_without_keys_generates_a_private_bootstrap_key_that_works()
    {
        using var factory = new NoKeyFactory();
        var client = factory.CreateClient(apiKey: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        var keyFile = Path.Combine(factory.DataDirectory, "bootstrap-api-key");
        Assert.True(File.Exists(keyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        // Read as `cat` would: raw bytes, so a byte-order mark would end up in the header and fail.
        var key = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(keyFile)).TrimEnd('\n');
        Assert.StartsWith("xai_", key, StringComparison.Ordinal);

        var withKey = factory.CreateClient(key);
        var ok = await withKey.PostAsync("/v1/images/inspect", TestImages.PngContent(TestImages.Gradient8(4, 4)));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.DoesNotContain(factory.LogEvents, e => e.RenderMessage(null).Contains(key, StringComparison.Ordinal));
    }

    private sealed class FullDiskFactory : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["ExplainApi:Health:MinFreeDiskBytes"] = (long.MaxValue / 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private sealed class NoKeyFactory : ExplainApiFactory
    {
        protected override bool IncludeTestKeys => false;
    }
}
