using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace ExplainApi.Host.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>The address the service listens on when neither --urls nor ASPNETCORE_URLS names one.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static IHostApplicationBuilder AddExplainApiConfiguration(this WebApplicationBuilder builder)
    {
        // --urls and ASPNETCORE_URLS both land in the "urls" key; ASPNETCORE_HTTP(S)_PORTS (set by the
        // official container images) in "http_ports"/"https_ports". Only when all are absent do we bind
        // to loopback: a fresh install must not expose an API to the network by accident.
        var config = builder.Configuration;
        if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["http_ports"]) && string.IsNullOrEmpty(config["https_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddExplainApiOptions();

        // A small server-wide cap; routes that take more raise it for themselves (RequestBodyLimit metadata on the
        // image routes, the model's tensor size on KServe explain, the upload limits on datasets and model import).
        var limits = config.GetSection(ImageLimitsOptions.Section);
        var maxBody = limits.GetValue<long?>(nameof(ImageLimitsOptions.MaxRequestBodyBytes)) ?? new ImageLimitsOptions().MaxRequestBodyBytes;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);
        return builder;
    }

    /// <summary>The option sections every entry point (server and command line) binds and validates.</summary>
    public static IHostApplicationBuilder AddExplainApiOptions(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.AddOptions<ExplainApiOptions>()
            .Bind(config.GetSection(ExplainApiOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ImageLimitsOptions>()
            .Bind(config.GetSection(ImageLimitsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ImageLimitsOptions>>().Value.ToImageLimits());
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return builder;
    }
}
