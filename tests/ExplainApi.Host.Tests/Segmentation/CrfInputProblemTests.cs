using System.Net;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Segmentation;
using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExplainApi.Host.Tests.Segmentation;

public sealed class CrfInputProblemTests
{
    [Fact]
    public async Task A_crf_input_exception_escaping_a_handler_is_422_not_the_500_of_other_argument_exceptions()
    {
        using var factory = new ThrowingFactory();

        var response = await factory.CreateClient(ExplainApiFactory.InferKey)
            .PostAsync("/v1/images/inspect", TestImages.PngContent(TestImages.Gradient8(4, 4)));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:segmentation-input-invalid");
        Assert.Equal("The label confidence must be in (0, 1).", problem.GetProperty("detail").GetString());
    }

    private sealed class ThrowingFactory : ExplainApiFactory
    {
        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.Replace(ServiceDescriptor.Singleton(new ImageReader([new CrfDecoder()])));

        private sealed class CrfDecoder : IImageDecoder
        {
            public ImageFormat Format => ImageFormat.Png;

            public ImageTensor Decode(ReadOnlyMemory<byte> data, DecodeOptions options, ImageLimits limits) => throw new CrfInputException("The label confidence must be in (0, 1).");
        }
    }
}
