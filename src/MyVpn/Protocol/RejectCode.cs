namespace MyVpn.Protocol;

/// <summary>The reason byte of a Reject message (docs/protocol.md).</summary>
public enum RejectCode : byte
{
    AuthenticationFailed = 1,
    UnsupportedVersion = 2,
    Malformed = 3,
    NoAddressAvailable = 4,
    NoPortAvailable = 5,
    Busy = 6,
    Timeout = 7,
}
