namespace MyVpn.Linux;

/// <summary>What <c>statx</c> says about an open descriptor: its type, permission bits and owner.</summary>
internal readonly record struct FileFacts(bool IsRegular, UnixFileMode Mode, uint Owner)
{
    /// <summary>0644-style text of the permission bits.</summary>
    public string Octal => Convert.ToString((int)Mode & 0x1FF, 8).PadLeft(4, '0');

    public bool GroupOrOthersMayAccess => ((int)Mode & 0x3F) != 0;
}
