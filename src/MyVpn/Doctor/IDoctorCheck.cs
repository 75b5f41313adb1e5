namespace MyVpn.Doctor;

/// <summary>
/// One thing <c>myvpn doctor</c> checks, judged from facts gathered beforehand (so each check is a pure
/// function of its facts, tested with made-up ones). Returns one line per thing looked at; none when
/// the check does not apply.
/// </summary>
public interface IDoctorCheck<in TFacts>
{
    IEnumerable<DoctorLine> Check(TFacts facts);
}
