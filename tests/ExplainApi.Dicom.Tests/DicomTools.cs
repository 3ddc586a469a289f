using System.ComponentModel;
using System.Diagnostics;

namespace ExplainApi.Dicom.Tests;

/// <summary>
/// Runs the real DICOM tools (dcmtk, GDCM) that make the test files. A missing tool fails the test with
/// the package to install: these tests are never skipped.
/// </summary>
internal static class DicomTools
{
    private static readonly Dictionary<string, string> Packages = new()
    {
        ["img2dcm"] = "dcmtk", ["dcmconv"] = "dcmtk", ["dcmcjpeg"] = "dcmtk", ["dcmdjpeg"] = "dcmtk",
        ["dcmcjpls"] = "dcmtk", ["dcmcrle"] = "dcmtk", ["dcmodify"] = "dcmtk",
        ["gdcmimg"] = "libgdcm-tools", ["gdcmconv"] = "libgdcm-tools",
    };

    public static void Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{tool}' is not installed. The DICOM tests make their files with real tools: install the Debian package " +
                $"{Packages.GetValueOrDefault(tool, "dcmtk")} (all of them: 'sudo apt-get install dcmtk libgdcm-tools', " +
                "or scripts/install-os-packages.sh test).", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{tool} did not finish within 60 s.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{tool} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {output.Result} {errors.Result}");
            }
        }
    }
}
