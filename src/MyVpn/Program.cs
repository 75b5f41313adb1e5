namespace MyVpn;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("myvpn: the command line is not built yet");
        return 2;
    }
}
