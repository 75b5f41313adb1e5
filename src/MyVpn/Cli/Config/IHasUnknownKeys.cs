namespace MyVpn.Cli.Config;

/// <summary>A config model that collects keys it does not know, so a typo is reported instead of ignored.</summary>
internal interface IHasUnknownKeys
{
    /// <summary>Each unknown key with where it is (" in [[clients]] #2", or "" at the top) and its table (0 at the top, n for the n-th [[clients]]).</summary>
    IEnumerable<(string Where, string Key, int Table)> UnknownKeys();
}
