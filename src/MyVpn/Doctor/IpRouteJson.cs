using System.Text.Json;
using MyVpn.Net;

namespace MyVpn.Doctor;

/// <summary>Reads the JSON of <c>ip -j</c>: routes (<c>route show</c>) and global addresses (<c>addr show</c>).</summary>
public static class IpRouteJson
{
    /// <summary>The unicast IPv4 routes with a device; "default" is 0.0.0.0/0, a bare address a /32.</summary>
    public static IReadOnlyList<RouteEntry> Routes(string json)
    {
        var routes = new List<RouteEntry>();
        foreach (var route in Array(json))
        {
            if (!route.TryGetProperty("dst", out var dst) || !route.TryGetProperty("dev", out var dev)
                || (route.TryGetProperty("type", out var type) && type.GetString() != "unicast"))
                continue;
            var text = dst.GetString() ?? "";
            text = text == "default" ? "0.0.0.0/0" : text.Contains('/', StringComparison.Ordinal) ? text : text + "/32";
            try
            {
                routes.Add(new RouteEntry(IPv4Range.Parse(text), dev.GetString() ?? ""));
            }
            catch (FormatException)
            {
                // not an IPv4 prefix this parser knows: leave it out
            }
        }
        return routes;
    }

    /// <summary>The devices of the routes listed (for <c>ip -j -6 route show default</c>).</summary>
    public static IReadOnlyList<string> Devices(string json) =>
        Array(json).Where(r => r.TryGetProperty("dev", out _)).Select(r => r.GetProperty("dev").GetString() ?? "").ToList();

    /// <summary>"2001:db8::2 on eth0" for each address of <c>ip -j -6 addr show scope global</c>.</summary>
    public static IReadOnlyList<string> Addresses(string json)
    {
        var addresses = new List<string>();
        foreach (var link in Array(json))
        {
            var name = link.TryGetProperty("ifname", out var n) ? n.GetString() : "?";
            if (!link.TryGetProperty("addr_info", out var info) || info.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var address in info.EnumerateArray())
                if (address.TryGetProperty("local", out var local))
                    addresses.Add($"{local.GetString()} on {name}");
        }
        return addresses;
    }

    private static List<JsonElement> Array(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return [];
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
