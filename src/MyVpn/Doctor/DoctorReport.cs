namespace MyVpn.Doctor;

/// <summary>Runs checks over facts and collects their lines; the exit status is 1 when any line failed.</summary>
public static class DoctorReport
{
    public static IReadOnlyList<DoctorLine> Run<TFacts>(TFacts facts, IEnumerable<IDoctorCheck<TFacts>> checks) =>
        checks.SelectMany(check => check.Check(facts)).ToList();

    public static int ExitCode(IEnumerable<DoctorLine> lines) => lines.Any(line => line.Verdict == Verdict.Fail) ? 1 : 0;
}
