using System.Reflection;
using System.Text;

namespace ExplainApi.Torch.Tests;

/// <summary>Checks what build/TorchSharpGlibcxxFix.targets did to this test project's own output.</summary>
public sealed class LibTorchSharpPatchTests
{
    private const string Library = "libLibTorchSharp.so", Version = "GLIBCXX_3.4.32";

    [Fact]
    public void The_output_copy_needs_GLIBCXX_3_4_32_weakly_when_the_loaded_libstdcxx_lacks_it()
    {
        var needs = ElfVersionNeeds.Read(OutputCopy());

        var need = Assert.Single(needs, n => n.Name == Version);
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.Equal(!LoadedLibStdCxxProvides(Version), need.IsWeak);
        Assert.DoesNotContain(needs, n => n.Name != Version && n.IsWeak);
    }

    [Fact]
    public void The_copy_in_the_NuGet_cache_is_never_patched()
    {
        var root = typeof(LibTorchSharpPatchTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value!;
        var cached = Directory.GetFiles(Path.Combine(root, "torchsharp"), Library, SearchOption.AllDirectories);

        Assert.NotEmpty(cached);
        Assert.All(cached, path => Assert.DoesNotContain(ElfVersionNeeds.Read(path), n => n.IsWeak));
    }

    // With RuntimeIdentifier set the native file sits next to the tests; without one, under runtimes/<rid>/native.
    private static string OutputCopy()
    {
        var dir = AppContext.BaseDirectory;
        return new[] { Path.Combine(dir, Library), Path.Combine(dir, "runtimes", "linux-x64", "native", Library) }
            .First(File.Exists);
    }

    // The libstdc++ this very process loaded (the .NET runtime links it) is the one libLibTorchSharp.so binds to.
    private static bool LoadedLibStdCxxProvides(string version)
    {
        var path = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(5))
            .First(p => p is not null && Path.GetFileName(p).StartsWith("libstdc++.so", StringComparison.Ordinal))!;
        var needle = Encoding.ASCII.GetBytes("\0" + version + "\0");
        return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
    }
}
