using System.Security.Cryptography.X509Certificates;

namespace Shop.Web.Frontend.Security;

/// <summary>
/// The certificate that encrypts the Data Protection key ring at rest (<c>DataProtection:Certificate</c>: base64
/// PKCS#12 with its private key, the AppHost's <c>key-ring-certificate</c> secret). Every replica holds the same one,
/// so each decrypts the keys the others made.
/// </summary>
public static class KeyRingCertificate
{
    public const string ConfigurationKey = "DataProtection:Certificate";

    public static X509Certificate2 From(IConfiguration configuration)
    {
        var encoded = configuration[ConfigurationKey] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ConfigurationKey} (the certificate that encrypts the key ring, base64 PKCS#12) is not configured; the AppHost supplies it.");
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(encoded), password: null);
            return certificate.HasPrivateKey
                ? certificate
                : throw new InvalidOperationException($"{ConfigurationKey} has no private key: the key ring could not be decrypted with it.");
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"{ConfigurationKey} is not a base64 PKCS#12 certificate.", ex);
        }
    }
}
