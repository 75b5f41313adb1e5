namespace MyVpn.Tests.Unit.Fuzz;

/// <summary>How a <see cref="Mutation"/> changes valid input: flip or set a byte, insert, delete or duplicate a run, truncate, or splice in part of a donor input.</summary>
public enum MutationKind { Flip, Set, Insert, Delete, Truncate, Splice, Duplicate }
