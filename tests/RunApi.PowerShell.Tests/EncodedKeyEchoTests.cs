using System.Net;
using System.Text.RegularExpressions;
using RunApi.Client.Tests.Hardening;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// A key that the service echoes base64-encoded or split across lines reaches no stream, no journal line, nothing
/// Get-ImagenTask reads back from the journal, no serialized $Error and no formatted view of one.
/// </summary>
public class EncodedKeyEchoTests
{
    private const string Key = KeyForms.AwkwardKey;
    private const string CreatePath = "/api/v1/imagen_4/text_to_image";

    [Fact]
    public async Task A_key_echoed_in_base64_and_across_lines_reaches_no_journal_no_serialized_error_and_no_formatted_view()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { ApiKey = Key, GenerationTime = TimeSpan.Zero });
        // A create refused with the key in base64 (at an offset), split by JSON's \n, and in base64 in the request id...
        session.Simulator.Faults.Add(FaultRule.Respond(422,
            $$$"""{"error":{"message":"refused token {{{KeyForms.Base64("x" + Key)}}}"},"errors":{"prompt":["not for {{{KeyForms.Split(Key, "\\n")}}}"]}}""",
            ("x-request-id", "req_" + KeyForms.Base64(Key)))
            .For("POST", CreatePath).Times(1));
        // ...and a task whose error has it in base64 (at another offset) and split by \r\n.
        session.Simulator.Faults.Add(FaultRule.Rewrite(body => body.Replace("Generation failed",
            $"Generation failed for {KeyForms.Base64("xx" + Key)} and {KeyForms.Split(Key, "\\r\\n")}")).For("GET", CreatePath + "/"));

        // $DebugPreference rather than -Debug: with -Debug, PowerShell asks before every warning, and this host cannot answer.
        var batches = session.Run("$DebugPreference = 'Continue'; " +
                                  "'a red cube' | New-ImagenImage -OutputDirectory ./out -JournalPath ./refused.jsonl -MaxRetries 0 -Verbose; " +
                                  "'b [fail]' | New-ImagenImage -OutputDirectory ./out -JournalPath ./failed.jsonl -MaxRetries 0 -Verbose");
        var offline = session.Run("Get-ImagenTask -JournalPath ./failed.jsonl -Offline | Format-List * | Out-String -Width 300");
        var listed = session.Run("$Error | Format-List * -Force | Out-String -Width 60; $Error | Format-List | Out-String");
        session.Run("$Error | Export-Clixml ./errors.xml -Depth 5");

        Assert.Equal(2, batches.Errors.Count);
        Assert.NotEmpty(batches.Debug);
        var journals = File.ReadAllText(Path.Combine(session.Folder, "refused.jsonl")) + File.ReadAllText(Path.Combine(session.Folder, "failed.jsonl"));
        Assert.Contains("refused token", journals);
        Assert.Contains("Generation failed for", journals);
        var readBack = string.Concat(offline.Output);
        Assert.Contains("Generation failed for", readBack);
        var clixml = File.ReadAllText(Path.Combine(session.Folder, "errors.xml"));
        Assert.Contains("refused token", clixml);
        Assert.Contains("Generation failed for", clixml);

        KeyForms.AssertAbsent(Key, batches.AllText(), "the streams");
        KeyForms.AssertAbsent(Key, journals, "a journal");
        KeyForms.AssertAbsent(Key, readBack, "Get-ImagenTask -Offline");
        KeyForms.AssertAbsent(Key, string.Concat(listed.Output), "Format-List of $Error");
        KeyForms.AssertAbsent(Key, Unescaped(clixml), "Export-Clixml of $Error");
    }

    /// <summary>CLIXML as the strings it holds: XML character references and PowerShell's _x000A_ escapes decoded.</summary>
    private static string Unescaped(string clixml) =>
        WebUtility.HtmlDecode(Regex.Replace(clixml, "_x([0-9A-Fa-f]{4})_", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString()));
}
