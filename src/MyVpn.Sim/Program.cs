namespace MyVpn.Sim;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("myvpn-sim: not built yet");
        return 2;
    }
}
