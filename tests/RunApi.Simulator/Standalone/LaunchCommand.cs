using System.Xml;
using System.Xml.Linq;

namespace RunApi.Simulator.Standalone;

/// <summary>How the running simulator was started, as the user would type it again: the usage line names it.</summary>
internal static class LaunchCommand
{
    public const string FromRepository = "dotnet run --project tests/RunApi.Simulator [-- options]";

    /// <summary>The command of this process, from where its assembly lies and which program runs it.</summary>
    public static string Current => Of(AppContext.BaseDirectory, Environment.ProcessPath);

    /// <summary>
    /// A packed .NET tool has DotnetToolSettings.xml, which names its command, beside its entry assembly; a build or
    /// <c>dotnet run</c> has none. A global tool (or one in a --tool-path) runs through a launcher of the command's
    /// name; a local tool runs in dotnet itself, started as <c>dotnet runapi-simulator</c> or <c>dotnet tool run
    /// runapi-simulator</c>. The usage line gives the first: the second takes <c>--help</c> for its own.
    /// </summary>
    public static string Of(string appDirectory, string? processPath)
    {
        var command = ToolCommandName(Path.Combine(appDirectory, "DotnetToolSettings.xml"));
        if (command is null) return FromRepository;
        var host = Path.GetFileNameWithoutExtension(processPath);
        return string.Equals(host, "dotnet", StringComparison.OrdinalIgnoreCase)
            ? $"dotnet {command} [options]"
            : $"{command} [options]";
    }

    private static string? ToolCommandName(string settingsFile)
    {
        if (!File.Exists(settingsFile)) return null;
        try
        {
            var name = XDocument.Load(settingsFile).Descendants("Command").Select(c => (string?)c.Attribute("Name")).FirstOrDefault();
            return string.IsNullOrWhiteSpace(name) ? null : name;
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
