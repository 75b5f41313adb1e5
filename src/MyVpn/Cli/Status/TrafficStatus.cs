namespace MyVpn.Cli.Status;

/// <summary>
/// Inner IP packets and their bytes each way, as the status reports them: <c>rx</c> opened from the peer's
/// datagrams, <c>tx</c> sealed for the peer (keepalives and rekey requests are not counted).
/// </summary>
internal sealed record TrafficStatus(long RxPackets, long RxBytes, long TxPackets, long TxBytes);
