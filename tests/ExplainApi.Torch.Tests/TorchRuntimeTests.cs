namespace ExplainApi.Torch.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Initialize_loads_libtorch_and_reports_the_cpu_device_on_a_machine_without_a_gpu()
    {
        var runtime = TorchRuntime.Initialize();

        Assert.Equal("cpu", runtime.Info.Device);
        Assert.Equal(TorchSharp.DeviceType.CPU, runtime.Device.type);
        Assert.Matches(@"^\d+\.\d+\.\d+", runtime.Info.LibTorchVersion);
        Assert.Equal("TorchSharp-cpu", runtime.Info.NativePackage);
    }
}
