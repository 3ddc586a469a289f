using System.Net;
using ExplainApi.Core.Imaging;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExplainApi.Host.Tests.Api;

public sealed class OutOfMemoryProblemTests
{
    [Fact]
    public async Task Running_out_of_memory_is_503_server_busy_with_retry_after_not_500()
    {
        using var factory = new OutOfMemoryFactory();

        var response = await factory.CreateClient(ExplainApiFactory.InferKey)
            .PostAsync("/v1/images/inspect", TestImages.PngContent(TestImages.Gradient8(4, 4)));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, ProblemTypes.ServerBusy);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private sealed class OutOfMemoryFactory : ExplainApiFactory
    {
        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.Replace(ServiceDescriptor.Singleton(new ImageReader([new HungryDecoder()])));

        private sealed class HungryDecoder : IImageDecoder
        {
            public ImageFormat Format => ImageFormat.Png;

            // What the runtime throws when an allocation fails (e.g. under DOTNET_GCHeapHardLimit).
#pragma warning disable CA2201
            public ImageTensor Decode(ReadOnlyMemory<byte> data, DecodeOptions options, ImageLimits limits) => throw new OutOfMemoryException();
#pragma warning restore CA2201
        }
    }
}
