// Inline MSBuild task compiled by RoslynCodeTaskFactory (see TorchSharpGlibcxxFix.targets for why it exists).
// The factory compiles against netstandard2.0, hence no spans, BinaryPrimitives or File.Move(overwrite).
// ELF64 layout per the System V gABI and the LSB "Symbol Versioning" chapter (Elf64_Verneed / Elf64_Vernaux).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchGlibcxxVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Copies of libLibTorchSharp.so in an output or publish folder.</summary>
    [Required]
    public ITaskItem[] Files { get; set; }

    /// <summary>The version need to make weak, e.g. GLIBCXX_3.4.32.</summary>
    [Required]
    public string VersionName { get; set; }

    /// <summary>Patch even when the build machine's libstdc++ provides the version.</summary>
    public bool Force { get; set; }

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            if (!File.Exists(path))
            {
                continue;
            }
            try
            {
                PatchOne(path);
            }
            catch (Exception ex) when (ex is InvalidDataException || ex is IOException || ex is UnauthorizedAccessException)
            {
                Log.LogError("TorchSharpGlibcxxFix: cannot patch {0}: {1} If this TorchSharp no longer needs {2} "
                    + "(check with readelf -V), build with -p:PatchLibTorchSharpGlibcxx=false.", path, ex.Message, VersionName);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private void PatchOne(string path)
    {
        var reason = "forced by PatchLibTorchSharpGlibcxx=true";
        if (!Force)
        {
            var libstdcxx = FindHostLibStdCxx(MachineOf(path));
            if (libstdcxx == null)
            {
                Log.LogMessage(MessageImportance.Normal, "TorchSharpGlibcxxFix: no libstdc++.so.6 for this architecture on the "
                    + "build machine; {0} left as is (-p:PatchLibTorchSharpGlibcxx=true forces the patch).", path);
                return;
            }
            // Version definitions are NUL-terminated names in .dynstr; ASCII decoding keeps NULs and turns only bytes
            // above 0x7f into '?', which cannot match.
            var text = Encoding.ASCII.GetString(File.ReadAllBytes(libstdcxx));
            if (text.IndexOf("\0" + VersionName + "\0", StringComparison.Ordinal) >= 0)
            {
                Log.LogMessage(MessageImportance.Normal, "TorchSharpGlibcxxFix: {0} provides {1}; {2} left as is.", libstdcxx, VersionName, path);
                return;
            }
            reason = libstdcxx + " lacks it";
        }

        var elf = File.ReadAllBytes(path);
        var flagsOffset = FindVernauxFlags(elf, VersionName);
        var flags = U16(elf, flagsOffset);
        if ((flags & VerFlgWeak) != 0)
        {
            Log.LogMessage(MessageImportance.Low, "TorchSharpGlibcxxFix: {0} already needs {1} weakly.", path, VersionName);
            return;
        }
        ReplaceWithPatchedCopy(path, flagsOffset, (ushort)(flags | VerFlgWeak));
        Log.LogMessage(MessageImportance.High, "TorchSharpGlibcxxFix: patched {0}: marked its {1} version need weak ({2}).",
            path, VersionName, reason);
    }

    // The output file may be a hard link into the NuGet cache (CreateHardLinksForCopyLocalIfPossible), so patch a
    // fresh copy and swap it in. Keeping the old timestamp lets the next build's Copy (SkipUnchangedFiles, same size
    // and time) leave our file alone instead of re-copying it on every build.
    private static void ReplaceWithPatchedCopy(string path, long flagsOffset, ushort flags)
    {
        var stamp = File.GetLastWriteTimeUtc(path);
        var temp = path + ".glibcxx-patch.tmp";
        File.Copy(path, temp, true);
        using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write))
        {
            stream.Position = flagsOffset;
            stream.Write(new[] { (byte)flags, (byte)(flags >> 8) }, 0, 2);
        }
        File.SetLastWriteTimeUtc(temp, stamp);
        File.Delete(path);
        File.Move(temp, path);
    }

    /// <summary>File offset of vna_flags of the Vernaux named <paramref name="name"/> in .gnu.version_r.</summary>
    internal static long FindVernauxFlags(byte[] elf, string name)
    {
        // e_ident: magic, EI_CLASS = ELFCLASS64 (2), EI_DATA = ELFDATA2LSB (1).
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a little-endian ELF64 file.");
        }
        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C), shstrndx = U16(elf, 0x3E);
        if (shentsize != 64 || shnum == 0 || shstrndx >= shnum)
        {
            throw new InvalidDataException("unexpected section header table.");
        }
        Func<int, long> header = i => shoff + (long)i * shentsize;
        Func<int, long> offsetOf = i => (long)U64(elf, header(i) + 0x18);
        long shstrtab = offsetOf(shstrndx);

        for (int i = 0; i < shnum; i++)
        {
            if (U32(elf, header(i) + 4) != ShtGnuVerneed || CString(elf, shstrtab + U32(elf, header(i))) != ".gnu.version_r")
            {
                continue;
            }
            long start = offsetOf(i), end = start + (long)U64(elf, header(i) + 0x20);
            int strtabIndex = (int)U32(elf, header(i) + 0x28);
            uint needCount = U32(elf, header(i) + 0x2C);
            if (strtabIndex >= shnum || CString(elf, shstrtab + U32(elf, header(strtabIndex))) != ".dynstr")
            {
                throw new InvalidDataException(".gnu.version_r does not link to .dynstr.");
            }
            long dynstr = offsetOf(strtabIndex);

            // Elf64_Verneed { u16 vn_version, vn_cnt; u32 vn_file, vn_aux, vn_next }
            // Elf64_Vernaux { u32 vna_hash; u16 vna_flags, vna_other; u32 vna_name, vna_next }
            long need = start;
            for (uint n = 0; n < needCount; n++)
            {
                CheckWithin(need, 16, start, end);
                long aux = need + U32(elf, need + 8);
                for (int k = 0, count = U16(elf, need + 2); k < count; k++)
                {
                    CheckWithin(aux, 16, start, end);
                    if (CString(elf, dynstr + U32(elf, aux + 8)) == name)
                    {
                        return aux + 4;
                    }
                    aux += U32(elf, aux + 12);
                }
                uint next = U32(elf, need + 12);
                if (next == 0)
                {
                    break;
                }
                need += next;
            }
            throw new InvalidDataException("no version need named " + name + " in .gnu.version_r.");
        }
        throw new InvalidDataException("no .gnu.version_r section.");
    }

    // The first libstdc++.so.6 the loader would pick for this ELF machine: ldconfig's cache order, then usual paths.
    private static string FindHostLibStdCxx(int machine)
    {
        var candidates = new List<string>(LdconfigPaths());
        foreach (var dir in new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64" })
        {
            candidates.Add(dir + "/libstdc++.so.6");
        }
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate) && MachineOf(candidate) == machine)
            {
                return candidate;
            }
        }
        return null;
    }

    private static IEnumerable<string> LdconfigPaths()
    {
        // /sbin is not on a normal user's PATH on Debian.
        foreach (var ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" })
        {
            if (!File.Exists(ldconfig))
            {
                continue;
            }
            var start = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            string output;
            try
            {
                using (var process = Process.Start(start))
                {
                    output = process.StandardOutput.ReadToEnd();
                    process.WaitForExit();
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                continue; // not runnable here: fall back to the usual paths
            }
            var paths = new List<string>();
            foreach (var line in output.Split('\n'))
            {
                var arrow = line.IndexOf(" => ", StringComparison.Ordinal);
                if (arrow > 0 && line.TrimStart().StartsWith("libstdc++.so.6 ", StringComparison.Ordinal))
                {
                    paths.Add(line.Substring(arrow + 4).Trim());
                }
            }
            return paths;
        }
        return new string[0];
    }

    private static int MachineOf(string path)
    {
        var header = new byte[20];
        using (var stream = File.OpenRead(path))
        {
            return stream.Read(header, 0, header.Length) == header.Length && header[0] == 0x7f ? U16(header, 18) : -1;
        }
    }

    private static void CheckWithin(long offset, int size, long start, long end)
    {
        if (offset < start || offset + size > end)
        {
            throw new InvalidDataException("version need chain leaves .gnu.version_r.");
        }
    }

    private static string CString(byte[] b, long offset)
    {
        long end = offset < 0 ? b.Length : offset;
        while (end < b.Length && b[end] != 0)
        {
            end++;
        }
        if (end >= b.Length)
        {
            throw new InvalidDataException("string table entry out of range.");
        }
        return Encoding.ASCII.GetString(b, (int)offset, (int)(end - offset));
    }

    private static ushort U16(byte[] b, long o) { Check(b, o, 2); return (ushort)(b[o] | b[o + 1] << 8); }

    private static uint U32(byte[] b, long o) { Check(b, o, 4); return (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24); }

    private static ulong U64(byte[] b, long o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;

    private static void Check(byte[] b, long o, int size)
    {
        if (o < 0 || o + size > b.Length)
        {
            throw new InvalidDataException("truncated ELF file.");
        }
    }
}
