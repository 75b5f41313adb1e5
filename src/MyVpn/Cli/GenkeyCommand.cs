using System.CommandLine;

namespace MyVpn.Cli;

/// <summary><c>myvpn genkey [-o FILE]</c>: a new random 256-bit key, base64, to standard output or a new 0600 file.</summary>
internal static class GenkeyCommand
{
    public static Command Build()
    {
        var output = new Option<string>("--output", "-o")
        {
            Description = "Write the key to FILE (created with mode 0600; an existing file is not overwritten) instead of standard output",
            HelpName = "FILE",
        };
        var command = new Command("genkey", "Generate a new pre-shared key (base64, 256 bits)") { output };
        command.SetAction(result => CommandErrors.Run("genkey", () =>
        {
            var key = KeyFile.NewKey();
            if (result.GetValue(output) is { } path)
                KeyFile.Write(path, key);
            else
                Console.Out.WriteLine(KeyFile.Encode(key));
            return 0;
        }));
        return command;
    }
}
