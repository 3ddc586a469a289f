using System.Net;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Segmentation;

/// <summary>A factory on whose deadline clock every explanation deadline has passed as soon as it is set.</summary>
public sealed class PassedDeadlineFactory : ExplainApiFactory
{
    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.AddKeyedSingleton<TimeProvider>(AdmittedExplanation.DeadlineClock, new PassedDeadlines());
}

public sealed class SegmentationDeadlineTests(PassedDeadlineFactory factory) : IClassFixture<PassedDeadlineFactory>
{
    [Fact]
    public async Task A_refinement_past_the_explanation_deadline_is_stopped_with_504_and_its_slot_freed()
    {
        var scene = new NoisySquare();
        var response = await factory.CreateClient(ExplainApiFactory.InferKey)
            .PostAsync("/v1/segmentations/refine", SegmentationRefineTests.Body(scene.ImagePng, mask: scene.MaskPng));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "urn:explainapi:problem:explanation-deadline-exceeded");
        var admission = factory.Services.GetRequiredService<ExplainAdmission>();
        Assert.Equal((0, 0), (admission.Running, admission.Queued));
    }
}
