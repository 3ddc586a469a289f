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
    public async Task With_the_classifier_registered_only_the_va_gan_explaining_it_is_submitted()
    {
        var data = Directory.CreateTempSubdirectory("explainapi-demo-").FullName;
        try
        {
            var registry = new FileModelRegistry(Path.Combine(data, "models"));
            await registry.RegisterAsync("squares-classifier", TinyClassifier.Write(data), null, null, CancellationToken.None);

            using var factory = new DemoFactory(data);
            var client = factory.CreateClient(ExplainApiFactory.TrainKey);
            var job = await WaitForJobAsync(factory, "vagan");
            Assert.Equal("squares-vagan", job.Model);
            Assert.Equal("synthetic:squares", job.Dataset);
            Assert.Equal("squares-classifier", job.Options["classifier"]!.GetValue<string>());
            await JobsFactory.WaitForAsync(client, job.Id, j => j.GetProperty("state").GetString() == "running");
            Assert.Single(await AllJobsAsync(factory));
            Assert.Equal(0, factory.Trainer.Starts);
            Assert.Equal("squares-classifier", factory.VaGan.LastOptions!["classifier"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task The_va_gan_is_submitted_when_the_classifier_job_registers_its_model()
    {
        using var factory = new DemoFactory();
        var classifierJob = Assert.Single(await AllJobsAsync(factory));
        Assert.Equal("classifier", classifierJob.Kind);

        // What the runner does when the classifier job succeeds.
        await factory.Services.GetRequiredService<FileModelRegistry>()
            .RegisterAsync("squares-classifier", TinyClassifier.Write(factory.DataDirectory), classifierJob.Id, null, CancellationToken.None);

        var job = await WaitForJobAsync(factory, "vagan");
        Assert.Equal("squares-vagan", job.Model);
        Assert.Equal(2, (await AllJobsAsync(factory)).Count);
    }

    [Fact]
    public async Task No_job_is_submitted_when_both_demo_models_are_registered()
    {
        var data = Directory.CreateTempSubdirectory("explainapi-demo-").FullName;
        try
        {
            var registry = new FileModelRegistry(Path.Combine(data, "models"));
            await registry.RegisterAsync("squares-classifier", TinyClassifier.Write(data), null, null, CancellationToken.None);
            await registry.RegisterAsync("squares-vagan", TinyClassifier.Write(data), null, null, CancellationToken.None);

            using var factory = new DemoFactory(data);
            _ = factory.Services; // starts the host, and with it the demo steps
            await Task.Delay(TimeSpan.FromSeconds(1)); // the VA-GAN step runs in the background: give it time to act wrongly
            Assert.Empty(await AllJobsAsync(factory));
            Assert.Equal(0, factory.Trainer.Starts + factory.VaGan.Starts);
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

    [Fact]
    public void The_demo_va_gan_profile_is_valid_vagan_options_linking_the_classifier()
    {
        var validated = Torch.Training.VaGan.VaGanOptions.Validate(DemoProfile.VaGanOptions("squares-classifier"));
        Assert.True(validated.IsValid, string.Join(" ", validated.Errors.Values));
        Assert.Equal("squares-classifier", validated.Values["classifier"]!.GetValue<string>());
    }

    private static async Task<JobRecord> WaitForJobAsync(ExplainApiFactory factory, string kind)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if ((await AllJobsAsync(factory)).FirstOrDefault(j => j.Kind == kind) is { } job)
            {
                return job;
            }
            await Task.Delay(50, timeout.Token);
        }
    }

    private static async Task<IReadOnlyList<JobRecord>> AllJobsAsync(ExplainApiFactory factory)
    {
        var store = factory.Services.GetRequiredService<JobStore>();
        return (await store.ListAsync(null, 1, 100, CancellationToken.None)).Items;
    }
}
