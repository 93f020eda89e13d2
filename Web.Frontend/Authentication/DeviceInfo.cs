namespace Shop.Web.Frontend.Authentication;

/// <summary>What <c>/account/sessions</c> shows about one sign-in (the value of the per-user index hash).</summary>
public sealed record DeviceInfo(string UserAgent, string Ip, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt);

public sealed record ActiveSession(string TicketId, DeviceInfo Device);
