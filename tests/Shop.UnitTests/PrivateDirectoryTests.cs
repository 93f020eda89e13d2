using Shop.AppHost.Redis;

namespace Shop.UnitTests;

public sealed class PrivateDirectoryTests
{
    [Fact]
    public void ANewDataFolderAndOneLeftOpenByAnEarlierVersionAreBothClosedToOtherUsers()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes.");
            return;
        }
        var parent = Directory.CreateTempSubdirectory("shop-private-").FullName;
        try
        {
            var fresh = Path.Combine(parent, "fresh");
            var open = Directory.CreateDirectory(Path.Combine(parent, "open"), UnixFileMode.UserRead | UnixFileMode.UserWrite
                | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute).FullName;

            PrivateDirectory.Create(fresh);
            PrivateDirectory.Create(open);

            const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Assert.Equal(ownerOnly, File.GetUnixFileMode(fresh));
            Assert.Equal(ownerOnly, File.GetUnixFileMode(open));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
