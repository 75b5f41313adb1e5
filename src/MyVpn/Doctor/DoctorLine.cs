namespace MyVpn.Doctor;

/// <summary>
/// One line of <c>myvpn doctor</c>'s report: <c>ok   what</c>, <c>warn what: advice</c> or
/// <c>FAIL what: advice</c>. The advice says what to do about it.
/// </summary>
public sealed record DoctorLine(Verdict Verdict, string What, string? Advice = null)
{
    public static DoctorLine Ok(string what) => new(Verdict.Ok, what);

    public static DoctorLine Warn(string what, string advice) => new(Verdict.Warn, what, advice);

    public static DoctorLine Fail(string what, string advice) => new(Verdict.Fail, what, advice);

    public override string ToString() => Verdict switch
    {
        Verdict.Ok => Advice is null ? $"ok   {What}" : $"ok   {What}: {Advice}",
        Verdict.Warn => $"warn {What}: {Advice}",
        _ => $"FAIL {What}: {Advice}",
    };
}
