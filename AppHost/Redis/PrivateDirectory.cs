namespace Shop.AppHost.Redis;

/// <summary>
/// A data folder only its owner can enter (0700). Redis' files hold carts, sign-in tickets and the key ring; the folder
/// Redis makes them in would otherwise be 0755, readable by every local user, whatever the Redis password.
/// </summary>
public static class PrivateDirectory
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, OwnerOnly);
        // A folder made by an earlier version (0755) is closed too.
        File.SetUnixFileMode(path, OwnerOnly);
    }
}
