using System.Security.Cryptography;
using MyVpn.Protocol;
using SharpPcap;
using SharpPcap.LibPcap;

namespace MyVpn.Captures;

/// <summary>
/// `myvpn pcap decrypt`: opens every data packet it has keys for (from a key log) and writes the inner
/// IP packets, with their original timestamps, to a raw-IP pcap. A packet that fails authentication is
/// never written.
/// </summary>
public static class CaptureDecryptor
{
    public static DecryptionCounts Decrypt(IEnumerable<CapturedPacket> packets, Dictionary<uint, List<SessionKeys>> keyLog,
        CaptureOptions options, string outputPath)
    {
        int decrypted = 0, keepalives = 0, failures = 0, noKey = 0, rekeyRequests = 0;
        var writer = new CaptureFileWriterDevice(outputPath, FileMode.Create);
        try
        {
            writer.Open(new DeviceConfiguration { LinkLayerType = PacketDotNet.LinkLayers.RawLegacy });
        }
        catch (PcapException e)
        {
            throw new CaptureException($"cannot write {outputPath}: {e.Message}");
        }
        try
        {
            foreach (var packet in CoalescedRuns.Split(packets, options))
            {
                if (!DataPacketView.TryClassify(packet, options, out var view, out var reason) || reason is not null)
                    continue;
                if (!keyLog.TryGetValue(view.SessionId, out var candidates))
                {
                    noKey++;
                    continue;
                }
                var inner = TryOpen(packet.Payload, view.ToServer, candidates);
                if (inner is null)
                    failures++;
                else if (inner.Length == 0)
                    keepalives++;
                else if (inner is [WireFormat.RekeyRequest])
                    rekeyRequests++; // a control message, not an IP packet (docs/protocol.md §5.7)
                else
                {
                    writer.Write(new RawCapture(PacketDotNet.LinkLayers.RawLegacy, packet.Time, inner));
                    decrypted++;
                }
            }
        }
        finally
        {
            writer.Close();
        }
        return new DecryptionCounts(decrypted, keepalives, failures, noKey, rekeyRequests);
    }

    /// <summary>Opens with the key of the packet's direction (then the other, should the port range be off); null if none authenticates.</summary>
    private static byte[]? TryOpen(byte[] datagram, bool toServer, List<SessionKeys> candidates)
    {
        foreach (var keys in candidates)
        {
            foreach (var key in toServer ? [keys.ClientToServer, keys.ServerToClient] : new[] { keys.ServerToClient, keys.ClientToServer })
            {
                var inner = TryOpen(datagram, key);
                if (inner is not null)
                    return inner;
            }
        }
        return null;
    }

    private static byte[]? TryOpen(byte[] datagram, byte[] key)
    {
        var iv = datagram.AsSpan(0, WireFormat.IvLength);
        var length = datagram.Length - WireFormat.Overhead;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, WireFormat.TagLength);
        try
        {
            aes.Decrypt(iv[..WireFormat.NonceLength], datagram.AsSpan(WireFormat.IvLength, length),
                datagram.AsSpan(WireFormat.IvLength + length), plaintext, iv);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
