namespace MyVpn.Tests.Unit.Fuzz;

/// <summary>
/// One edit of a byte string. Positions and lengths are taken modulo the input's current length, so any
/// generated value applies to any input (and CsCheck can shrink them freely).
/// </summary>
public readonly record struct Mutation(MutationKind Kind, int Position, int Length, byte Value, int Donor)
{
    public byte[] Apply(byte[] input, IReadOnlyList<byte[]> donors)
    {
        var at = input.Length == 0 ? 0 : Position % (input.Length + 1);
        var rest = input.Length - at;
        var length = 1 + Length % 32;
        switch (Kind)
        {
            case MutationKind.Flip when rest > 0:
            {
                var output = (byte[])input.Clone();
                output[at] ^= (byte)(1 << (Value % 8));
                return output;
            }
            case MutationKind.Set when rest > 0:
            {
                var output = (byte[])input.Clone();
                output[at] = output[at] == Value ? (byte)~Value : Value;
                return output;
            }
            case MutationKind.Insert:
                return [.. input.AsSpan(0, at), .. Enumerable.Repeat(Value, length), .. input.AsSpan(at)];
            case MutationKind.Delete when rest > 0:
                return [.. input.AsSpan(0, at), .. input.AsSpan(at + Math.Min(length, rest))];
            case MutationKind.Truncate:
                return input[..at];
            case MutationKind.Splice when donors.Count > 0:
            {
                // Overwrite from `at` with a piece of another valid input (frames of other exchanges, other files).
                var donor = donors[Donor % donors.Count];
                if (donor.Length == 0)
                    return input;
                var from = Position % donor.Length;
                var piece = donor.AsSpan(from, Math.Min(donor.Length - from, 1 + Length % 128));
                var output = new byte[Math.Max(input.Length, at + piece.Length)];
                input.CopyTo(output, 0);
                piece.CopyTo(output.AsSpan(at));
                return output;
            }
            case MutationKind.Duplicate when rest > 0:
            {
                var piece = input.AsSpan(at, Math.Min(length, rest));
                return [.. input.AsSpan(0, at + piece.Length), .. piece, .. input.AsSpan(at + piece.Length)];
            }
            default:
                return input;
        }
    }

    public static byte[] ApplyAll(byte[] input, IEnumerable<Mutation> mutations, IReadOnlyList<byte[]> donors) =>
        mutations.Aggregate(input, (bytes, m) => m.Apply(bytes, donors));
}
