using CsCheck;

namespace MyVpn.Tests.Unit.Fuzz;

/// <summary>
/// How many cases each property runs and from which seed, read in one place. The normal unit suite
/// runs <see cref="DefaultIterations"/> cases per property; <c>FUZZ_ITERATIONS=1000000</c> (run-fuzz.sh)
/// runs the long campaign. CsCheck reports a failing case with its seed; <c>FUZZ_SEED=&lt;seed&gt;</c>
/// (with a --filter naming the test) replays exactly that case first.
/// </summary>
public static class Fuzz
{
    public const string IterationsVariable = "FUZZ_ITERATIONS";
    public const string SeedVariable = "FUZZ_SEED";
    public const long DefaultIterations = 2000;

    /// <summary>Cases per property: FUZZ_ITERATIONS when set to a positive number, else <see cref="DefaultIterations"/>.</summary>
    public static long Iterations =>
        long.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), out var n) && n > 0 ? n : DefaultIterations;

    /// <summary>The seed to start from (FUZZ_SEED), or null for a fresh random one.</summary>
    public static string? Seed =>
        Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } seed ? seed : null;

    /// <summary>
    /// Checks <paramref name="property"/> on <see cref="Iterations"/> cases of <paramref name="gen"/>; a case that
    /// throws fails the test with CsCheck's report (the shrunk case and its seed).
    /// </summary>
    public static void Check<T>(Gen<T> gen, Action<T> property) =>
        gen.Sample(property, seed: Seed, iter: Iterations);

    public static void Check<T1, T2>(Gen<(T1, T2)> gen, Action<T1, T2> property) =>
        gen.Sample(property, seed: Seed, iter: Iterations);

    public static void Check<T1, T2, T3>(Gen<(T1, T2, T3)> gen, Action<T1, T2, T3> property) =>
        gen.Sample(property, seed: Seed, iter: Iterations);
}
