using System.Globalization;
using System.Net;
using System.Text;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Tests.Explaining;
using static ExplainApi.Host.Tests.Explaining.KServeRequests;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>
/// A seeded corpus of broken KServe requests beside the decoders' fuzz tests: truncations, wrong types, deep nesting,
/// huge numbers, NaN literals, duplicate keys, wrong shapes and header lengths. Every answer is 2xx or a 4xx problem.
/// </summary>
public sealed class KServeFuzzTests(SaliencyFixture fixture) : IClassFixture<SaliencyFixture>
{
    private static readonly string Valid = Json([1, 1, 8, 8], TinyConvNet.Image(1), new { method = "eigencam" });

    private static readonly string[] Replacements =
    [
        "\"FP32\"=>1", "\"FP32\"=>\"INT64\"", "[1,1,8,8]=>\"a\"", "[1,1,8,8]=>[1,1,8]", "[1,1,8,8]=>[0,1,8,8]", "[1,1,8,8]=>[17,1,8,8]",
        "[1,1,8,8]=>[-1,1,8,8]", "[1,1,8,8]=>[1e10,1,8,8]", "[1,1,8,8]=>[2,1,8,8]", "\"inputs\"=>\"outputs\"", "\"data\":[=>\"data\":[NaN,",
        "\"data\":[=>\"data\":[Infinity,", "\"data\":[=>\"data\":[-Infinity,", "\"data\":[=>\"data\":[1e999,", "\"data\":[=>\"data\":[123456789012345678901234567890,",
        "\"data\":[=>\"data\":[\"0\",", "\"data\":[=>\"data\":[true,", "\"data\":[=>\"data\":[null,", "\"data\":[=>\"data\":[{},", "\"data\":[=>\"data\":[[[[[[[[[[[",
        "\"data\":[=>\"data\":{", "\"data\":=>\"shape\":[1,1,8,8],\"data\":", "\"data\":=>\"data\":[0],\"data\":", "\"id\":\"req-1\",=>\"inputs\":[],",
        "\"id\":\"req-1\",=>\"inputs\":7,", "\"req-1\"=>42", "\"method\":\"eigencam\"=>\"method\":7", "\"method\":\"eigencam\"=>\"seed\":-1",
        "\"method\":\"eigencam\"=>\"riseMasks\":1e99", "\"method\":\"eigencam\"=>\"method\":[[[]]]", "{\"id\"=>[{\"id\"", "{\"id\"=>{\"x\":" + Deep(200) + ",\"id\"",
    ];

    [Fact]
    public async Task Mutated_json_requests_answer_2xx_or_a_4xx_problem_never_5xx()
    {
        var random = new Random(8);
        var bodies = new List<string>();
        for (var offset = 0; offset < Valid.Length; offset += 1 + random.Next(17))
        {
            bodies.Add(Valid[..offset]);
        }

        bodies.AddRange(Replacements.Select(r => r.Split("=>")).Select(r => Valid.Replace(r[0], r[1], StringComparison.Ordinal)));
        for (var i = 0; i < 60; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(Valid);
            bytes[random.Next(bytes.Length)] = (byte)"{}[],:\"0-.eE nN\\"[random.Next(16)];
            bodies.Add(Encoding.UTF8.GetString(bytes));
        }

        foreach (var body in bodies)
        {
            await AssertNoServerErrorAsync(await fixture.Client.PostAsync("/v2/models/conv/explain", JsonContent(body)), body);
        }
    }

    [Fact]
    public async Task Mutated_binary_requests_answer_2xx_or_a_4xx_problem_never_5xx()
    {
        var random = new Random(9);
        var header = BinaryHeader([1, 1, 8, 8], 256, new { method = "eigencam" });
        var tensor = System.Runtime.InteropServices.MemoryMarshal.AsBytes(TinyConvNet.Image(2).AsSpan()).ToArray();
        var valid = header.Concat(tensor).ToArray();
        var cases = new List<(byte[] Body, string HeaderLength)>();
        for (var offset = 0; offset < valid.Length; offset += 1 + random.Next(23))
        {
            cases.Add((valid[..offset], header.Length.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var length in new[] { "0", "1", "-1", "abc", "1e3", " 12", "2147483648", "18446744073709551616", "65537", (header.Length - 1).ToString(CultureInfo.InvariantCulture) })
        {
            cases.Add((valid, length));
        }

        for (var i = 0; i < 40; i++)
        {
            var body = (byte[])valid.Clone();
            body[random.Next(body.Length)] = (byte)random.Next(256);
            cases.Add((body, header.Length.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var (body, length) in cases)
        {
            await AssertNoServerErrorAsync(await fixture.Client.PostAsync("/v2/models/conv/explain", BinaryContent(body, length)), $"{length}: {body.Length} bytes");
        }
    }

    private static string Deep(int depth) => new string('[', depth) + new string(']', depth);

    private static async Task AssertNoServerErrorAsync(HttpResponseMessage response, string request)
    {
        var status = (int)response.StatusCode;
        Assert.True(status is >= 200 and < 500, $"{status} for {request}");
        if (status >= 400)
        {
            await ProblemAssert.IsProblemAsync(response, response.StatusCode);
        }
    }
}
