using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace Shop.UnitTests;

public sealed class NativeHeapTrimmerTests
{
    private const int BlockSize = 64 * 1024; // the JIT's scratch page size, below glibc's mmap threshold
    private const int Blocks = 400;          // 25 MB

    /// <summary>
    /// What a replica's JIT leaves behind, made by hand: native blocks written and freed between small blocks still in
    /// use, so glibc keeps their pages resident (by itself it gives back only free memory at the top of a heap). The
    /// trim must give most of them back; a trim that found no glibc, or did nothing, fails here.
    /// </summary>
    [Fact]
    public void FreedNativeMemoryThatGlibcKeepsResidentIsGivenBackByATrim()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "glibc's malloc_trim exists only on Linux.");
        var content = Enumerable.Repeat((byte)0x5A, BlockSize).ToArray();
        var blocks = new nint[Blocks];
        var pins = new nint[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(BlockSize); // malloc, on Linux
            Marshal.Copy(content, 0, blocks[i], BlockSize);
            pins[i] = Marshal.AllocHGlobal(1000);
        }
        try
        {
            foreach (var block in blocks)
            {
                Marshal.FreeHGlobal(block);
            }
            var keptAfterFree = ResidentAnonymousBytes();

            Assert.True(NativeHeapTrimmer.TrimNow(), "malloc_trim could not be called.");

            var givenBack = keptAfterFree - ResidentAnonymousBytes();
            Assert.True(givenBack >= Blocks * BlockSize / 2,
                $"The trim gave back {givenBack / 1024} kB of the {Blocks * BlockSize / 1024} kB freed.");
        }
        finally
        {
            foreach (var pin in pins)
            {
                Marshal.FreeHGlobal(pin);
            }
        }
    }

    private static long ResidentAnonymousBytes() =>
        File.ReadLines("/proc/self/status")
            .Where(line => line.StartsWith("RssAnon:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024)
            .Single();
}
