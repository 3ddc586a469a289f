using System.Net;
using System.Text;
using ExplainApi.Host.Tests.Infrastructure;
using static ExplainApi.Host.Tests.Datasets.DatasetArchives;
using static ExplainApi.Host.Tests.Uploads.MultipartBodies;

namespace ExplainApi.Host.Tests.Uploads;

/// <summary>
/// The multipart corpus beside the decoders' fuzz tests: valid bodies for the image and dataset routes,
/// mutated deterministically (cut at every interesting offset, bytes flipped in boundaries and headers,
/// CRLFs doubled and dropped, huge header lines, broken boundary parameters). Every answer is a success
/// or a 4xx problem document, never a 5xx, and nothing stays in the spool.
/// </summary>
public sealed class MultipartFuzzTests(MultipartFuzzTests.UnlimitedFactory factory) : IClassFixture<MultipartFuzzTests.UnlimitedFactory>
{
    private const int Seed = 8_2026;

    public sealed class UnlimitedFactory : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["ExplainApi:RateLimit:PermitsPerWindow"] = "100000",
        };
    }

    [Theory]
    [InlineData("/v1/images/inspect", "image")]
    [InlineData("/v1/datasets", "archive")]
    public async Task Mutated_multipart_bodies_are_answered_2xx_or_4xx_problem_never_5xx(string route, string field)
    {
        var file = field == "image" ? Png() : new Part("archive", "a.zip", "application/zip", Zip(TwoClasses(2)));
        var valid = Build(Boundary, new Part("note", null, "text/plain", "hello"u8.ToArray()), file);
        var client = factory.CreateClient(ExplainApiFactory.AdminKey);
        var failures = new List<string>();
        var count = 0;
        foreach (var (name, body, boundary) in Mutations(valid, new Random(Seed)))
        {
            count++;
            var response = await client.PostAsync(route, Content(body, boundary));
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (status >= 500 || (status >= 400 && mediaType != "application/problem+json"))
            {
                failures.Add($"{name}: {status} {mediaType}");
            }
        }

        Assert.InRange(count, 200, 1000);
        Assert.Empty(failures);
        AssertSpoolClean(factory);
    }

    private static IEnumerable<(string Name, byte[] Body, string Boundary)> Mutations(byte[] valid, Random random)
    {
        var crlfs = Offsets(valid, "\r\n"u8.ToArray());
        var boundaries = Offsets(valid, Encoding.ASCII.GetBytes(Boundary));
        var headerEnd = Offsets(valid, "\r\n\r\n"u8.ToArray());

        // Cut short at every framing offset and around it, and at a spread of offsets inside the parts.
        foreach (var at in crlfs.Concat(boundaries).SelectMany(o => new[] { o - 1, o, o + 1, o + 2 }).Where(o => o > 0 && o < valid.Length).Distinct())
        {
            yield return ($"truncate@{at}", valid[..at], Boundary);
        }

        for (var i = 0; i < 40; i++)
        {
            var at = random.Next(1, valid.Length);
            yield return ($"truncate-random@{at}", valid[..at], Boundary);
        }

        // One byte flipped inside a boundary line or a part's headers.
        var framing = boundaries.SelectMany(o => Enumerable.Range(o - 2, Boundary.Length + 4))
            .Concat(headerEnd.SelectMany(end => Enumerable.Range(Math.Max(0, end - 80), 84)))
            .Where(o => o >= 0 && o < valid.Length).Distinct().ToArray();
        for (var i = 0; i < 120; i++)
        {
            var at = framing[random.Next(framing.Length)];
            var body = (byte[])valid.Clone();
            body[at] ^= (byte)random.Next(1, 256);
            yield return ($"flip@{at}", body, Boundary);
        }

        // Each CRLF doubled, and dropped.
        foreach (var at in crlfs)
        {
            yield return ($"double-crlf@{at}", [.. valid[..at], .. "\r\n"u8, .. valid[at..]], Boundary);
            yield return ($"drop-crlf@{at}", [.. valid[..at], .. valid[(at + 2)..]], Boundary);
        }

        // Huge header lines and a header without a colon, after the first boundary line.
        var firstHeader = crlfs[0] + 2;
        foreach (var size in new[] { 100, 16 * 1024, 64 * 1024 })
        {
            yield return ($"huge-header-{size}", [.. valid[..firstHeader], .. Encoding.ASCII.GetBytes($"X-Pad: {new string('a', size)}\r\n"), .. valid[firstHeader..]], Boundary);
        }

        yield return ("header-without-colon", [.. valid[..firstHeader], .. "no colon here\r\n"u8, .. valid[firstHeader..]], Boundary);
        yield return ("empty-body", [], Boundary);
        yield return ("only-closing", Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"), Boundary);

        // The boundary parameter itself: empty, quoted, illegal characters, one over the RFC 2046 maximum, not the body's.
        foreach (var boundary in new[] { "", "\"\"", "\"" + Boundary + "\"", "bad\u00e9boundary", "ends-in-space ", new string('b', 71), "other-boundary" })
        {
            yield return ($"boundary-param '{boundary}'", valid, boundary);
        }
    }

    private static List<int> Offsets(byte[] haystack, byte[] needle)
    {
        var offsets = new List<int>();
        for (var i = haystack.AsSpan().IndexOf(needle); i >= 0 && i < haystack.Length;)
        {
            offsets.Add(i);
            var next = haystack.AsSpan(i + 1).IndexOf(needle);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return offsets;
    }
}
