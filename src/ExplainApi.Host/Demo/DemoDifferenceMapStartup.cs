using ExplainApi.Core.Models;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Demo;

/// <summary>
/// The second demo step: once the demo classifier is registered (now, or when its job finishes), submits the VA-GAN that
/// explains it (<see cref="DemoProfile.VaGanOptions"/>, linked to that classifier) unless it exists or is being trained.
/// A VA-GAN links a registered classifier, so it cannot be submitted before the classifier exists.
/// </summary>
public sealed class DemoDifferenceMapStartup(IOptions<DemoOptions> options, FileModelRegistry registry, DemoJobSubmitter submitter)
    : BackgroundService
{
    private readonly SemaphoreSlim classifierRegistered = new(0, 1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Registered += OnRegistered; // before the first look, so a registration in between is not missed
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        registry.Registered -= OnRegistered;
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value;
        if (!demo.Enabled || string.IsNullOrEmpty(demo.DifferenceMapModel))
        {
            return;
        }

        while (registry.Find(demo.Model) is null)
        {
            await classifierRegistered.WaitAsync(stoppingToken);
        }

        await submitter.SubmitIfMissingAsync(
            demo.DifferenceMapModel, DemoProfile.VaGanKind, demo.Dataset, DemoProfile.VaGanOptions(demo.Model), stoppingToken);
    }

    public override void Dispose()
    {
        classifierRegistered.Dispose();
        base.Dispose();
    }

    private void OnRegistered(object? sender, ModelRegisteredEventArgs e)
    {
        if (e.Manifest.Name == options.Value.Model && classifierRegistered.CurrentCount == 0)
        {
            try
            {
                classifierRegistered.Release();
            }
            catch (SemaphoreFullException)
            {
                // Two registrations at once: one wake-up is enough.
            }
        }
    }
}
