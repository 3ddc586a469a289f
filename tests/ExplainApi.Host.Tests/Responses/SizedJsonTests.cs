using System.Text.Json;
using ExplainApi.Host.Responses;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Responses;

public class SizedJsonTests
{
    private sealed record Answer(string ModelName, byte[] Map);

    [Fact]
    public async Task The_answer_is_written_once_with_its_length_in_the_service_JSON_options()
    {
        var services = new ServiceCollection().Configure<JsonOptions>(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        var body = new MemoryStream();
        context.Response.Body = body;

        await new SizedJson<Answer>(new Answer("conv", [0xFB, 0xFF])).ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal(body.Length, context.Response.ContentLength); // not chunked: the client needs no terminating chunk
        Assert.Equal("""{"model_name":"conv","map":"+/8="}""", System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }
}
