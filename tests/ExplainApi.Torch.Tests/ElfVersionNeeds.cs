using System.Buffers.Binary;
using System.Text;

namespace ExplainApi.Torch.Tests;

/// <summary>One Elf64_Vernaux entry: a symbol version the library needs from <paramref name="File"/>.</summary>
internal sealed record VersionNeed(string File, string Name, ushort Flags)
{
    public bool IsWeak => (Flags & 0x2) != 0; // VER_FLG_WEAK
}

/// <summary>
/// Reads the version needs of a little-endian ELF64 shared object. Written apart from the build task on purpose,
/// so the test does not trust the code it checks: the task finds .gnu.version_r through section headers, this walks
/// the dynamic segment (DT_VERNEED, DT_VERNEEDNUM, DT_STRTAB), which is what the dynamic loader reads.
/// </summary>
internal static class ElfVersionNeeds
{
    private const uint PtLoad = 1, PtDynamic = 2;
    private const long DtNull = 0, DtStrtab = 5, DtVerneed = 0x6ffffffe, DtVerneednum = 0x6fffffff;

    public static IReadOnlyList<VersionNeed> Read(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || !elf.AsSpan(0, 6).SequenceEqual(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1 }))
        {
            throw new InvalidDataException($"{path} is not a little-endian ELF64 file");
        }

        var segments = ProgramHeaders(elf).ToList();
        var dynamic = segments.Single(s => s.Type == PtDynamic);
        var tags = new Dictionary<long, ulong>();
        for (var at = dynamic.Offset; U64(elf, at) != DtNull; at += 16)
        {
            tags[(long)U64(elf, at)] = U64(elf, at + 8);
        }
        long FileOffset(ulong address)
        {
            var load = segments.Single(s => s.Type == PtLoad && address >= s.Address && address < s.Address + s.FileSize);
            return (long)(address - load.Address) + load.Offset;
        }
        var strtab = FileOffset(tags[DtStrtab]);
        string Str(uint offset) => ReadCString(elf, strtab + offset);

        // Elf64_Verneed { u16 vn_version, vn_cnt; u32 vn_file, vn_aux, vn_next }
        // Elf64_Vernaux { u32 vna_hash; u16 vna_flags, vna_other; u32 vna_name, vna_next }
        var needs = new List<VersionNeed>();
        var need = FileOffset(tags[DtVerneed]);
        for (var n = 0UL; n < tags[DtVerneednum]; n++)
        {
            var file = Str(U32(elf, need + 4));
            var aux = need + U32(elf, need + 8);
            for (var k = 0; k < U16(elf, need + 2); k++)
            {
                needs.Add(new VersionNeed(file, Str(U32(elf, aux + 8)), U16(elf, aux + 4)));
                aux += U32(elf, aux + 12);
            }
            need += U32(elf, need + 12);
        }
        return needs;
    }

    private static IEnumerable<(uint Type, long Offset, ulong Address, ulong FileSize)> ProgramHeaders(byte[] elf)
    {
        var table = (long)U64(elf, 0x20);
        int size = U16(elf, 0x36), count = U16(elf, 0x38);
        for (var i = 0; i < count; i++)
        {
            var at = table + (long)i * size;
            yield return (U32(elf, at), (long)U64(elf, at + 8), U64(elf, at + 0x10), U64(elf, at + 0x20));
        }
    }

    private static string ReadCString(byte[] elf, long offset)
    {
        var length = Array.IndexOf(elf, (byte)0, (int)offset) - (int)offset;
        return Encoding.ASCII.GetString(elf, (int)offset, length);
    }

    private static ushort U16(byte[] b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)at));

    private static uint U32(byte[] b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)at));

    private static ulong U64(byte[] b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)at));
}
