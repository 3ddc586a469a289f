using System.Text.Json.Nodes;
using ExplainApi.Torch.Training.VaGan;

namespace ExplainApi.Torch.Tests.Training.VaGan;

public sealed class VaGanOptionsTests
{
    [Fact]
    public void Defaults_are_the_official_schedule_and_the_cpu_profile_widths()
    {
        var options = VaGanOptions.From(null);

        Assert.Equal((5, 100, 25), (options.CriticSteps, options.WarmupCriticSteps, options.WarmupSteps));
        Assert.Equal((100.0, 10.0, 1e-4, 32), (options.L1Weight, options.GpWeight, options.LearningRate, options.BatchSize));
        Assert.Equal(("cpu", VaGanOptions.CpuWidth, VaGanOptions.CpuWidth), (options.Profile, options.GeneratorWidth, options.CriticWidth));
        Assert.Equal(((string?)null, (string?)null, (string?)null), (options.FromClass, options.ToClass, options.Classifier));
    }

    [Fact]
    public void The_paper_profile_uses_the_paper_widths_unless_a_width_is_given_and_the_completed_options_say_so()
    {
        var validated = VaGanOptions.Validate(new JsonObject { ["profile"] = "paper", ["criticWidth"] = 0.5 });

        Assert.True(validated.IsValid);
        Assert.Equal(1.0, validated.Values["generatorWidth"]!.GetValue<double>());
        Assert.Equal(0.5, validated.Values["criticWidth"]!.GetValue<double>());
        Assert.Equal(16, VaGanOptions.Channels(1.0));
    }

    [Fact]
    public void Unknown_fields_and_bad_values_are_errors_by_field()
    {
        var validated = VaGanOptions.Validate(new JsonObject
        {
            ["iterations"] = 0, ["profile"] = "gpu", ["fromClass"] = 3, ["criticWidth"] = 10, ["learningRate"] = "fast", ["colour"] = "red",
        });

        Assert.Equal(["colour", "criticWidth", "fromClass", "iterations", "learningRate", "profile"], validated.Errors.Keys.Order());
        Assert.Contains("\"cpu\" or \"paper\"", validated.Errors["profile"]);
        Assert.Contains("Unknown option 'colour'", validated.Errors["colour"]);
    }

    [Fact]
    public void The_same_class_twice_and_a_classifier_version_without_a_classifier_are_refused()
    {
        var validated = VaGanOptions.Validate(new JsonObject { ["fromClass"] = "a", ["toClass"] = "a", ["classifierVersion"] = 2 });

        Assert.Equal(["classifierVersion", "toClass"], validated.Errors.Keys.Order());
        Assert.Throws<ArgumentException>(() => VaGanOptions.From(new JsonObject { ["fromClass"] = "a", ["toClass"] = "a" }));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(24, 100)]
    [InlineData(25, 5)]
    [InlineData(100, 100)]
    [InlineData(101, 5)]
    public void The_critic_takes_100_steps_in_the_first_25_generator_steps_and_every_100th_else_5(long step, int expected) =>
        Assert.Equal(expected, VaGanOptions.From(null).CriticStepsAt(step));

    [Fact]
    public void Counting_the_schedule_gives_one_long_critic_step_per_hundred_after_the_warm_up_and_all_of_the_warm_up()
    {
        var options = VaGanOptions.From(new JsonObject { ["warmupSteps"] = 5 });

        Assert.Equal(new Dictionary<int, int> { [100] = 1, [5] = 99 }, options.CriticStepCounts(100, 100));
        Assert.Equal(new Dictionary<int, int> { [100] = 7, [5] = 293 }, options.CriticStepCounts(0, 300));
        Assert.Equal(new Dictionary<int, int> { [5] = 10 }, options.CriticStepCounts(5, 10));
        Assert.Empty(options.CriticStepCounts(0, 0));
    }

    [Fact]
    public void The_direction_defaults_to_class_1_to_class_0_and_names_are_looked_up()
    {
        Assert.Equal((1, 0), VaGanTraining.Classes(["normal", "abnormal"], VaGanOptions.From(null)));
        Assert.Equal((0, 2), VaGanTraining.Classes(["a", "b", "c"], VaGanOptions.From(new JsonObject { ["fromClass"] = "a", ["toClass"] = "c" })));
        Assert.Null(VaGanTraining.Classes(["a", "b"], VaGanOptions.From(new JsonObject { ["fromClass"] = "z" })));
    }
}
