using System.Security.Cryptography;
using MyVpn.Protocol;

namespace MyVpn.Tests.Unit.Support;

/// <summary>Repeatable random bytes for tests: SHA-256(seed | block number), block after block.</summary>
public sealed class TestRandom(int seed) : IRandomSource
{
    private readonly byte[] _input = new byte[8];
    private readonly byte[] _block = new byte[32];
    private int _used = 32;
    private int _counter;

    public void Fill(Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            if (_used == _block.Length)
            {
                BitConverter.TryWriteBytes(_input, seed);
                BitConverter.TryWriteBytes(_input.AsSpan(4), _counter++);
                SHA256.HashData(_input, _block);
                _used = 0;
            }
            destination[i] = _block[_used++];
        }
    }
}
