using System.Text.Json.Nodes;
using ExplainApi.Torch.Training.CycleGan;

namespace ExplainApi.Torch.Tests.Training.CycleGan;

public sealed class CycleGanOptionsTests
{
    [Fact]
    public void Defaults_are_the_papers_losses_and_the_cpu_profiles_sizes()
    {
        var options = CycleGanOptions.From(null);

        Assert.Equal((10.0, 0.5, 2e-4, 50, 1), (options.LambdaCycle, options.LambdaIdentity, options.LearningRate, options.PoolSize, options.BatchSize));
        Assert.Equal((16, 0, 16, 3), (options.GeneratorWidth, options.GeneratorBlocks, options.DiscriminatorWidth, options.DiscriminatorLayers));
        Assert.Equal((2000, 2000), (options.Iterations, options.DecayIterations));
        Assert.Equal((null, null, null), (options.ClassA, options.ClassB, options.Classifier));
        Assert.Equal(6, options.BlocksFor(112, 112));
        Assert.Equal(9, options.BlocksFor(256, 256));
    }

    [Fact]
    public void The_paper_profile_sets_widths_and_length_but_an_explicit_option_wins_and_decay_follows_iterations()
    {
        var paper = CycleGanOptions.From(new JsonObject { ["profile"] = "paper", ["discriminatorWidth"] = 32 });
        var shorter = CycleGanOptions.From(new JsonObject { ["iterations"] = 300 });

        Assert.Equal((64, 32, 100_000, 100_000), (paper.GeneratorWidth, paper.DiscriminatorWidth, paper.Iterations, paper.DecayIterations));
        Assert.Equal((300, 300, 600), (shorter.Iterations, shorter.DecayIterations, shorter.TotalSteps));
    }

    [Fact]
    public void Completed_options_validate_to_themselves_so_a_stored_job_reads_the_same()
    {
        var completed = CycleGanOptions.Validate(new JsonObject { ["profile"] = "paper", ["classA"] = "abnormal", ["classB"] = "normal" }).Values;

        var again = CycleGanOptions.Validate(completed);

        Assert.True(again.IsValid);
        Assert.Equal(completed.ToJsonString(), again.Values.ToJsonString());
        Assert.Equal(CycleGanOptions.From(completed).Fingerprint(), CycleGanOptions.From(again.Values).Fingerprint());
    }

    [Fact]
    public void Unknown_fields_wrong_types_and_out_of_range_values_are_errors_by_field()
    {
        var result = CycleGanOptions.Validate(new JsonObject
        {
            ["profile"] = "gpu", ["classA"] = 5, ["classB"] = "", ["lambdaCycle"] = -1, ["discriminatorLayers"] = 9,
            ["classifier"] = "Not A Name", ["iterations"] = 1.5, ["epochs"] = 3,
        });

        Assert.False(result.IsValid);
        Assert.Equal(["classA", "classB", "classifier", "discriminatorLayers", "epochs", "iterations", "lambdaCycle", "profile"], result.Errors.Keys.Order());
        Assert.Contains("\"cpu\" or \"paper\"", result.Errors["profile"]);
        Assert.Contains("Unknown option 'epochs'", result.Errors["epochs"]);
        Assert.Contains("classifier", result.Errors["epochs"]); // the allowed list names the text options too
    }

    [Fact]
    public void The_classifier_link_reads_as_the_vagans_null_is_the_latest_and_needs_a_classifier()
    {
        var latest = CycleGanOptions.From(new JsonObject { ["classifier"] = "judge" });
        var zero = CycleGanOptions.Validate(new JsonObject { ["classifier"] = "judge", ["classifierVersion"] = 0 });
        var orphan = CycleGanOptions.Validate(new JsonObject { ["classifierVersion"] = 2 });

        Assert.Null(latest.ClassifierVersion);
        Assert.Contains("an integer from 1", zero.Errors["classifierVersion"]);
        Assert.Equal("classifierVersion needs classifier.", orphan.Errors["classifierVersion"]);
    }

    [Fact]
    public void Null_text_options_mean_not_set()
    {
        var options = CycleGanOptions.From(new JsonObject { ["classA"] = null, ["classifier"] = null });

        Assert.Equal((null, null), (options.ClassA, options.Classifier));
    }

    [Fact]
    public void The_fingerprint_changes_with_what_shapes_training_but_not_with_the_classifier_link()
    {
        var baseline = CycleGanOptions.From(null).Fingerprint();

        Assert.NotEqual(baseline, CycleGanOptions.From(new JsonObject { ["lambdaCycle"] = 5 }).Fingerprint());
        Assert.NotEqual(baseline, CycleGanOptions.From(new JsonObject { ["classA"] = "abnormal" }).Fingerprint());
        Assert.Equal(baseline, CycleGanOptions.From(new JsonObject { ["classifier"] = "squares" }).Fingerprint());
    }

    [Fact]
    public void Selection_on_the_flip_rate_needs_a_classifier_and_changes_the_fingerprint()
    {
        var alone = CycleGanOptions.Validate(new JsonObject { ["selection"] = "flipRate" });
        var unknown = CycleGanOptions.Validate(new JsonObject { ["selection"] = "ncc" });
        var linked = CycleGanOptions.From(new JsonObject { ["selection"] = "flipRate", ["classifier"] = "judge" });

        Assert.Equal(["selection"], alone.Errors.Keys);
        Assert.Contains("needs classifier", alone.Errors["selection"]);
        Assert.Contains("\"cycleL1\", \"flipRate\" or \"flipRatePerDirection\"", unknown.Errors["selection"]);
        Assert.True(linked.SelectsOnFlipRate);
        Assert.False(CycleGanOptions.From(null).SelectsOnFlipRate);
        Assert.NotEqual(CycleGanOptions.From(new JsonObject { ["classifier"] = "judge" }).Fingerprint(), linked.Fingerprint());
    }

    [Fact]
    public void Selection_per_direction_needs_a_classifier_and_has_its_own_fingerprint()
    {
        var alone = CycleGanOptions.Validate(new JsonObject { ["selection"] = "flipRatePerDirection" });
        var each = CycleGanOptions.From(new JsonObject { ["selection"] = "flipRatePerDirection", ["classifier"] = "judge" });
        var joint = CycleGanOptions.From(new JsonObject { ["selection"] = "flipRate", ["classifier"] = "judge" });

        Assert.Contains("\"flipRatePerDirection\" needs classifier", alone.Errors["selection"]);
        Assert.True(each.SelectsOnFlipRate && each.SelectsPerDirection);
        Assert.False(joint.SelectsPerDirection);
        Assert.NotEqual(joint.Fingerprint(), each.Fingerprint()); // a checkpoint of one never resumes as the other
    }
}
