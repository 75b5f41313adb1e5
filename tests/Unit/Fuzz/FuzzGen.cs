using CsCheck;

namespace MyVpn.Tests.Unit.Fuzz;

/// <summary>Generators shared by the fuzz properties.</summary>
public static class FuzzGen
{
    public static readonly Gen<Mutation> Mutation =
        Gen.Select(Gen.Enum<MutationKind>(), Gen.Int[0, int.MaxValue], Gen.Int[0, 255], Gen.Byte, Gen.Int[0, 1 << 16],
            (kind, position, length, value, donor) => new Mutation(kind, position, length, value, donor));

    /// <summary>0 to 4 edits: none leaves the valid input as it was (the property's sanity check).</summary>
    public static readonly Gen<Mutation[]> Mutations = Mutation.Array[0, 4];

    /// <summary>Cut points (taken modulo the length) at which a stream is delivered in separate pieces.</summary>
    public static readonly Gen<int[]> Cuts = Gen.Int[0, int.MaxValue].Array[0, 6];

    /// <summary>An input either made of random bytes (null: use the valid one) or a valid one with edits.</summary>
    public static Gen<byte[]?> RandomBytesOrNull(int maxLength) =>
        Gen.Frequency((1, Gen.Byte.Array[0, maxLength].Select(b => (byte[]?)b)), (4, Gen.Const((byte[]?)null)));

    /// <summary>Splits <paramref name="input"/> at the cut points (sorted, modulo length + 1; empty pieces dropped).</summary>
    public static List<byte[]> Split(byte[] input, int[] cuts)
    {
        var points = cuts.Select(c => c % (input.Length + 1)).Append(0).Append(input.Length).Distinct().Order().ToList();
        var pieces = new List<byte[]>();
        for (var i = 1; i < points.Count; i++)
            pieces.Add(input[points[i - 1]..points[i]]);
        return pieces;
    }
}
