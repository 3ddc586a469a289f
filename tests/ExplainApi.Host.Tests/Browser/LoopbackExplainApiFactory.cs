using System.Net;
using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Browser;

/// <summary>
/// The same application and keys as <see cref="ExplainApiFactory"/>, but served by real Kestrel on a free
/// loopback port, because a browser cannot reach the in-memory TestServer.
/// </summary>
public sealed class LoopbackExplainApiFactory : ExplainApiFactory
{
    public LoopbackExplainApiFactory() => UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

    /// <summary>Starts the server and returns its address, e.g. http://127.0.0.1:40123.</summary>
    public Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        return new Uri(addresses.Addresses.Single());
    }
}
