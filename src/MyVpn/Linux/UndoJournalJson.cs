using System.Text.Json.Serialization;

namespace MyVpn.Linux;

/// <summary>The journal's JSON, generated at build time (no reflection: the daemon may be compiled ahead of time).</summary>
[JsonSerializable(typeof(UndoJournal.JournalFile))]
internal sealed partial class UndoJournalJson : JsonSerializerContext;
