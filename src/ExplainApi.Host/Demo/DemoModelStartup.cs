using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Demo;

/// <summary>
/// At start, when <see cref="DemoOptions.Enabled"/>: submits the demo classifier's <see cref="DemoProfile"/> job unless the
/// model exists or is being trained (<see cref="DemoJobSubmitter"/>), so a newcomer gets a model to explain without
/// preparing anything. Runs after the store is migrated (it is registered after it) and before the runner claims work.
/// </summary>
public sealed class DemoModelStartup(IOptions<DemoOptions> options, DemoJobSubmitter submitter) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        if (demo.Enabled)
        {
            await submitter.SubmitIfMissingAsync(demo.Model, DemoProfile.Kind, demo.Dataset, DemoProfile.Options(), cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
