using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Aspire.Hosting.Publishing;

namespace Shop.AppHost;

/// <summary>
/// The default of a secret parameter that is a certificate: a self-signed RSA certificate made on first run, as a
/// base64 PKCS#12 (private key included, no password: the value itself is the secret, kept in the AppHost's user
/// secrets like every generated parameter). The storefront encrypts its Data Protection key ring with it, so the
/// master keys in Redis (and in Redis' append-only file on disk) are no longer readable by whoever can read the
/// data folder: without this certificate they decrypt nothing.
/// </summary>
public sealed class CertificateParameterDefault(string subject, TimeSpan validFor) : ParameterDefault
{
    public override string GetDefaultValue()
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.Add(validFor));
        return Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12));
    }

    // A deployment brings its own certificate (Parameters:{name}); a manifest must never carry a generated private key.
    public override void WriteToManifest(ManifestPublishingContext context) =>
        throw new NotSupportedException($"Supply the certificate for '{subject}' as a parameter value when publishing.");
}
