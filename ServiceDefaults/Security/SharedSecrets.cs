using System.Security.Cryptography;
using System.Text;

namespace Microsoft.Extensions.Hosting;

/// <summary>Comparing a presented secret with the configured one without the timing telling anything.</summary>
public static class SharedSecrets
{
    /// <summary>
    /// Hashing first gives both sides the same length, so the comparison time reveals neither the content nor the
    /// length of the secret, whatever is presented.
    /// </summary>
    public static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
