using Microsoft.Extensions.Hosting;

namespace Shop.UnitTests;

public sealed class ReplicaIdentityTests
{
    [Fact]
    public void AspireReplicaIdAndServiceNameBecomeTheInstanceHeader()
    {
        var env = new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = "web-frontend",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=abc123, deployment.environment=dev",
        };

        var identity = ReplicaIdentity.From(env.GetValueOrDefault, "Web.Frontend", "host", 42);

        Assert.Equal("web-frontend/abc123", identity.HeaderValue);
    }

    [Fact]
    public void OutsideAspireTheMachineAndProcessIdentifyTheReplica()
    {
        var identity = ReplicaIdentity.From(_ => null, "Web.Frontend", "host", 42);

        Assert.Equal("Web.Frontend/host-42", identity.HeaderValue);
    }
}
