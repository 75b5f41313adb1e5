namespace MyVpn.Doctor;

/// <summary>How one doctor line judges what it looked at: fine, a risk, or a fault that breaks the VPN.</summary>
public enum Verdict
{
    Ok,
    Warn,
    Fail,
}
