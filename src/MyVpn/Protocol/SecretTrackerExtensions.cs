namespace MyVpn.Protocol;

/// <summary>Lets code record a secret on a <see cref="SecretTracker"/> that may be absent (null outside tests).</summary>
internal static class SecretTrackerExtensions
{
    /// <summary>Records <paramref name="bytes"/> when a tracker is set; returns them either way.</summary>
    public static byte[] Track(this SecretTracker? tracker, string name, byte[] bytes) =>
        tracker is null ? bytes : tracker.Add(name, bytes);
}
