namespace MyVpn.Doctor;

/// <summary>What an nftables match compares, as far as the doctor understands it.</summary>
public enum NftMatchKind
{
    /// <summary><c>tcp dport …</c> / <c>udp dport …</c> (<see cref="NftMatch.Protocol"/> names which).</summary>
    DestinationPort,

    /// <summary><c>meta l4proto tcp</c>, <c>ip protocol udp</c>.</summary>
    Protocol,

    /// <summary><c>iifname "lo"</c>, <c>iif lo</c>.</summary>
    InputInterface,

    /// <summary><c>oifname "eth0"</c>, <c>oif eth0</c>.</summary>
    OutputInterface,

    /// <summary><c>ct state established,related</c>.</summary>
    ConnectionState,

    /// <summary>Anything else (addresses, marks, named sets...): the doctor cannot say whether it matches.</summary>
    Other,
}
