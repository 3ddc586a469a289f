using System.Diagnostics;

namespace ExplainApi.Host.Tests.Infrastructure;

/// <summary>Runs the built ExplainApi.Host as a command (train, evaluate, …) on a data folder, as a user would from a shell.</summary>
public static class HostCommand
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string dataDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ExplainApi.Host.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add($"--ExplainApi:DataDirectory={dataDirectory}");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
