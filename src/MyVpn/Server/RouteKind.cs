namespace MyVpn.Server;

/// <summary>Where the <see cref="Router"/> sends an inner packet.</summary>
public enum RouteKind { Drop, ToTun, ToClient }
