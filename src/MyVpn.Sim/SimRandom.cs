using System.Numerics;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using MyVpn.Protocol;

namespace MyVpn.Sim;

/// <summary>
/// The one source of randomness of a simulated run: xoshiro256** seeded from SHA-256 of the run's
/// seed. <see cref="Fork"/> derives an independent stream per subsystem from the seed and a name
/// (never from the draws so far), so adding draws in one subsystem does not shift the others.
/// </summary>
internal sealed class SimRandom : IRandomSource
{
    private readonly byte[] _material;
    private ulong _s0, _s1, _s2, _s3;

    public SimRandom(ulong seed) : this(SHA256.HashData(Encoding.UTF8.GetBytes($"myvpn-sim seed {seed}")))
    {
    }

    private SimRandom(byte[] material)
    {
        _material = material;
        _s0 = BinaryPrimitives.ReadUInt64LittleEndian(material.AsSpan(0));
        _s1 = BinaryPrimitives.ReadUInt64LittleEndian(material.AsSpan(8));
        _s2 = BinaryPrimitives.ReadUInt64LittleEndian(material.AsSpan(16));
        _s3 = BinaryPrimitives.ReadUInt64LittleEndian(material.AsSpan(24));
        if ((_s0 | _s1 | _s2 | _s3) == 0)
            _s0 = 0x9E3779B97F4A7C15UL; // xoshiro must not start all-zero
    }

    /// <summary>
    /// An independent stream named <paramref name="name"/> (e.g. <c>"link:pc1->s1"</c>). The same name
    /// always gives the same stream, so names must be unique per consumer.
    /// </summary>
    public SimRandom Fork(string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[_material.Length + 1 + nameBytes.Length];
        _material.CopyTo(input, 0);
        input[_material.Length] = (byte)'/';
        nameBytes.CopyTo(input, _material.Length + 1);
        return new SimRandom(SHA256.HashData(input));
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public long Next(long maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var bound = (ulong)maxExclusive;
        var limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (long)(x % bound);
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long NextInRange(long min, long max) => min + Next(max - min + 1);

    /// <summary>True with probability <paramref name="perMille"/>/1000.</summary>
    public bool Chance(int perMille) => perMille > 0 && Next(1000) < perMille;

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Exponentially distributed with the given mean (whole ticks).</summary>
    public TimeSpan Exponential(TimeSpan mean)
    {
        if (mean <= TimeSpan.Zero)
            return TimeSpan.Zero;
        var u = 1.0 - NextDouble(); // (0, 1]
        var ticks = -Math.Log(u) * mean.Ticks;
        return TimeSpan.FromTicks((long)Math.Min(ticks, mean.Ticks * 50.0));
    }

    public void Fill(Span<byte> destination)
    {
        Span<byte> word = stackalloc byte[8];
        while (destination.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination, NextUInt64());
            destination = destination[8..];
        }
        if (destination.Length > 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(word, NextUInt64());
            word[..destination.Length].CopyTo(destination);
        }
    }
}
