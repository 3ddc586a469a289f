using ExplainApi.Core.Models;
using ExplainApi.Host.Demo;
using ExplainApi.Host.Jobs;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.Tests.Jobs;
using ExplainApi.Host.Tests.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ExplainApi.Host.Tests.Demo;

public sealed class DemoModelTests
{
    [Fact]
    public async Task An_empty_data_folder_gets_exactly_one_demo_classifier_job_which_starts_running()
    {
        using var factory = new DemoFactory();
        var client = factory.CreateClient(ExplainApiFactory.TrainKey);

        var jobs = await AllJobsAsync(factory);
        var job = Assert.Single(jobs);
        Assert.Equal("classifier", job.Kind);
        Assert.Equal("squares-classifier", job.Model);
        Assert.Equal("synthetic:squares", job.Dataset);
        Assert.Equal(2, job.Options["stemStride"]!.GetValue<int>());
        Assert.Equal(0.2, job.Options["testFraction"]!.GetValue<double>());
        await JobsFactory.WaitForAsync(client, job.Id, j => j.GetProperty("state").GetString() == "running");
    }

    [Fact]
    public async Task A_restart_while_the_demo_job_runs_resumes_that_job_and_submits_no_second_one()
    {
        using var first = new DemoFactory();
        var client = first.CreateClient(ExplainApiFactory.TrainKey);
        var id = Assert.Single(await AllJobsAsync(first)).Id;
        await JobsFactory.WaitForAsync(client, id, j => j.GetProperty("state").GetString() == "running");
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await first.Services.GetRequiredService<IHost>().StopAsync(timeout.Token);
        }

        using var second = new DemoFactory(first.DataDirectory);
        var again = second.CreateClient(ExplainApiFactory.TrainKey);
        var job = await JobsFactory.WaitForAsync(again, id, j => j.GetProperty("state").GetString() == "running");
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        Assert.Equal(id, Assert.Single(await AllJobsAsync(second)).Id);
        Assert.Equal(1, second.Trainer.Starts);
    }

    [Fact]
    public async Task No_job_is_submitted_when_the_demo_model_is_registered()
    {
        var data = Directory.CreateTempSubdirectory("explainapi-demo-").FullName;
        try
        {
            var registry = new FileModelRegistry(Path.Combine(data, "models"));
            await registry.RegisterAsync("squares-classifier", TinyClassifier.Write(data), null, null, CancellationToken.None);

            using var factory = new DemoFactory(data);
            _ = factory.Services; // starts the host, and with it the demo step
            Assert.Empty(await AllJobsAsync(factory));
            Assert.Equal(0, factory.Trainer.Starts);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void An_invalid_demo_model_name_stops_the_start_with_a_message_naming_it()
    {
        using var factory = new DemoFactory(model: "Not A Name");
        var error = Assert.ThrowsAny<Exception>(() => factory.Services);
        Assert.Contains("Model must be a valid model name", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_demo_profile_is_valid_classifier_options()
    {
        var validated = Torch.Training.Classifier.ClassifierOptions.Validate(DemoProfile.Options());
        Assert.True(validated.IsValid, string.Join(" ", validated.Errors.Values));
    }

    private static async Task<IReadOnlyList<JobRecord>> AllJobsAsync(ExplainApiFactory factory)
    {
        var store = factory.Services.GetRequiredService<JobStore>();
        return (await store.ListAsync(null, 1, 100, CancellationToken.None)).Items;
    }
}
