using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>One echo request a host answered: when, and the source address it came from.</summary>
internal readonly record struct AnsweredEcho(long Time, IPv4Address Source, IPv4Address Target, uint Serial);
