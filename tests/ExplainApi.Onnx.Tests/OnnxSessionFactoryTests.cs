using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Onnx.Tests;

public sealed class OnnxSessionFactoryTests
{
    private readonly OnnxSessionFactory factory = new();

    [Fact]
    public void Auto_falls_back_to_the_cpu_provider_and_says_why_when_the_package_has_no_cuda()
    {
        using var session = factory.Create(ReluLinearModel.Build(), AcceleratorPreference.Auto);

        Assert.Equal(OnnxSessionFactory.CpuProvider, session.Provider.Provider);
        Assert.Equal(AcceleratorPreference.Auto, session.Provider.Requested);
        Assert.Contains(OnnxSessionFactory.CudaProvider, session.Provider.FallbackReason);
    }

    [Fact]
    public void Cpu_preference_never_tries_cuda_so_there_is_no_fallback_reason()
    {
        using var session = factory.Create(ReluLinearModel.Build(), AcceleratorPreference.Cpu);

        Assert.Equal(new ExecutionProviderReport(OnnxSessionFactory.CpuProvider, AcceleratorPreference.Cpu, null), session.Provider);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void The_symbolic_batch_dimension_accepts_any_batch_and_matches_a_plain_CSharp_computation(int batch)
    {
        using var session = factory.Create(ReluLinearModel.Build(), AcceleratorPreference.Auto);
        var x = Enumerable.Range(0, batch * ReluLinearModel.In).Select(i => (i % 7 - 3) * 0.37f).ToArray();

        using var input = OrtValue.CreateTensorValueFromMemory(x, [batch, ReluLinearModel.In]);
        using var runOptions = new RunOptions();
        using var outputs = session.Session.Run(runOptions, ["X"], [input], ["Y"]);

        Assert.Equal([batch, ReluLinearModel.Out], outputs[0].GetTensorTypeAndShape().Shape);
        var expected = ReluLinearModel.Expected(x, batch);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));
        Assert.Contains(expected, y => y == 0f); // Relu actually clipped something
    }

    [Fact]
    public void The_input_keeps_its_symbolic_batch_dimension()
    {
        using var session = factory.Create(ReluLinearModel.Build(), AcceleratorPreference.Auto);

        var x = session.Session.InputMetadata["X"];
        Assert.Equal([-1, ReluLinearModel.In], x.Dimensions);
        Assert.Equal("batch", x.SymbolicDimensions[0]);
    }

    [Fact]
    public void Invalid_model_bytes_throw_our_load_exception_with_the_runtime_error_inside()
    {
        var garbage = "this is not an onnx model"u8.ToArray();

        var ex = Assert.Throws<OnnxModelLoadException>(() => factory.Create(garbage, AcceleratorPreference.Auto));

        Assert.IsType<OnnxRuntimeException>(ex.InnerException);
        Assert.Contains("could not load the model", ex.Message);
    }

    [Fact]
    public void A_missing_model_file_throws_our_load_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.onnx");

        var ex = Assert.Throws<OnnxModelLoadException>(() => factory.Create(path, AcceleratorPreference.Cpu));

        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void DescribeRuntime_reports_the_version_the_compiled_in_providers_and_the_cpu_default()
    {
        var info = factory.DescribeRuntime();

        Assert.Matches(@"^\d+\.\d+\.\d+", info.Version);
        Assert.Contains(OnnxSessionFactory.CpuProvider, info.AvailableProviders);
        Assert.Equal(OnnxSessionFactory.CpuProvider, info.DefaultProvider.Provider);
        Assert.NotNull(info.DefaultProvider.FallbackReason);
    }
}
