using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Tests.Explaining;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>
/// A test class's own application under the settings it names, with the tiny 1×8×8 conv net registered as
/// <c>conv</c> and a client holding the infer key.
/// </summary>
public abstract class ConvNetApplication : IAsyncLifetime
{
    protected ConvNetApplication(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null) =>
        Factory = new SettingsFactory(settings, services);

    protected ExplainApiFactory Factory { get; }

    protected HttpClient Client { get; private set; } = null!;

    protected ExplainAdmission Admission => Factory.Services.GetRequiredService<ExplainAdmission>();

    protected ModelSessionCache Cache => Factory.Services.GetRequiredService<ModelSessionCache>();

    public async Task InitializeAsync()
    {
        Client = Factory.CreateClient(ExplainApiFactory.InferKey);
        await SaliencyFixture.RegisterAsync(Factory, "conv", TinyConvNet.Exported(), allowResize: false);
        await SaliencyFixture.WaitUntilReadyAsync(Client, "conv", 1);
    }

    public Task DisposeAsync()
    {
        Client.Dispose();
        Factory.Dispose();
        return Task.CompletedTask;
    }

    private sealed class SettingsFactory(IDictionary<string, string?> settings, Action<IServiceCollection>? services) : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => settings;

        protected override void ConfigureTestServices(IServiceCollection collection) => services?.Invoke(collection);
    }
}
