namespace MyVpn.Captures;

/// <summary>The counts `myvpn pcap decrypt` reports.</summary>
public sealed record DecryptionCounts(int Decrypted, int Keepalives, int AuthenticationFailures, int NoKey, int RekeyRequests = 0);
