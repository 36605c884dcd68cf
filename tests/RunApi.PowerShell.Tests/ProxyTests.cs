using System.Management.Automation;
using RunApi.Client.Tests.Hardening;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>
/// A company proxy that asks for a user and password, in front of the simulator: a real tinyproxy. What goes through it
/// (API calls, downloads, uploads), what its refusals look like, and that its password shows nowhere.
/// </summary>
public sealed class ProxyTests : IAsyncLifetime
{
    private const string CreatePath = "/api/v1/imagen_4/text_to_image";
    private Tinyproxy _proxy = null!;

    public async Task InitializeAsync()
    {
        if (Tinyproxy.Executable is not null) _proxy = await Tinyproxy.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null) await _proxy.DisposeAsync();
    }

    private string Credential(string password) =>
        $"$proxyCredential = [pscredential]::new('{Tinyproxy.User}', (ConvertTo-SecureString '{password.Replace("'", "''")}' -AsPlainText -Force)); ";

    [ProxyFact]
    public async Task A_batch_through_an_authenticating_proxy_saves_every_image_and_every_request_goes_through_it()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.FromMilliseconds(300) });
        File.WriteAllBytes(Path.Combine(session.Folder, "photo.png"), TestImages.Png(1, 2, 3));

        var result = session.Run(Credential(Tinyproxy.Password) +
            $"$PSDefaultParameterValues['*-Imagen*:Proxy'] = '{_proxy.Address}'; $PSDefaultParameterValues['*-Imagen*:ProxyCredential'] = $proxyCredential; " +
            "'a red cube', 'a blue cube' | New-ImagenImage -OutputDirectory ./out; " +
            "New-ImagenImage 'the same, in watercolour' -SourceImage ./photo.png -OutputDirectory ./out");

        Assert.Empty(result.Errors);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(session.Folder, "out")).Length);
        var log = _proxy.Log;
        Assert.Contains($"POST {session.Simulator.BaseUri.GetLeftPart(UriPartial.Authority)}{CreatePath}", log);
        Assert.Contains($"GET {session.Simulator.BaseUri.GetLeftPart(UriPartial.Authority)}/api/v1/imagen_4/text_to_image/", log); // the looks
        Assert.Contains($"GET {session.Simulator.FilesBaseUri.GetLeftPart(UriPartial.Authority)}/generated/", log); // the downloads
        Assert.Contains($"PUT {session.Simulator.FilesBaseUri.GetLeftPart(UriPartial.Authority)}/", log); // the upload of photo.png
        var direct = session.Simulator.Requests.Count - CountForwarded(log);
        Assert.True(direct <= 0, $"{direct} request(s) reached the simulator without the proxy");
        KeyForms.AssertAbsent(Tinyproxy.Password, result.AllText(), "the output");
    }

    [ProxyFact]
    public async Task Missing_or_wrong_proxy_credentials_are_the_proxys_refusal_before_any_create_and_nothing_is_paid()
    {
        await using var session = await ModuleSession.StartAsync();

        var missing = session.Run($"'a', 'b', 'c' | New-ImagenImage -Proxy '{_proxy.Address}'");
        var wrong = session.Run(Credential("not the password") + $"'a', 'b', 'c' | New-ImagenImage -Proxy '{_proxy.Address}' -ProxyCredential $proxyCredential");
        // One balance look each, and no retry: the handshake is at most one ask without credentials and one with them.
        Assert.InRange(CountRequests(_proxy.Log), 2, 4);
        Assert.Equal(0, CountForwarded(_proxy.Log));
        Assert.Empty(session.Simulator.Requests); // nothing reached RunAPI, nothing paid
        var right = session.Run(Credential(Tinyproxy.Password) +
            $"'d' | New-ImagenImage -Proxy '{_proxy.Address}' -ProxyCredential $proxyCredential -Verbose -Debug -ErrorAction SilentlyContinue; " +
            "$Error | Export-Clixml ./errors.xml; Get-Content -Raw ./errors.xml");
        KeyForms.AssertAbsent(Tinyproxy.Password, right.AllText() + string.Join("\n", right.Verbose) + string.Join("\n", right.Debug), "output, verbose, debug and $Error");

        foreach (var (result, status) in new[] { (missing, "HTTP 407 Proxy Authentication Required"), (wrong, "HTTP 401") })
        {
            Assert.Equal(3, result.Errors.Count); // each prompt named, none sent
            Assert.All(result.Errors, e =>
            {
                Assert.Equal("RunApiProxyAuthentication", e.FullyQualifiedErrorId.Split(',')[0]);
                Assert.Equal(ErrorCategory.AuthenticationError, e.CategoryInfo.Category);
                Assert.Contains($"The proxy {_proxy.Address.GetLeftPart(UriPartial.Authority)} refused", e.Exception.Message);
                Assert.Contains(status, e.Exception.Message);
                Assert.Contains("-ProxyCredential", e.ErrorDetails.RecommendedAction);
            });
        }
        Assert.Single(session.Simulator.Tasks); // 'd', with the right password
    }

    [ProxyFact]
    public async Task The_environments_proxy_is_used_on_its_own_and_NoProxy_goes_around_it()
    {
        await using var simulator = await RunApiSimulator.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero });
        var withCredentials = new UriBuilder(_proxy.Address) { UserName = Tinyproxy.User, Password = Uri.EscapeDataString(Tinyproxy.Password) }.Uri;
        var environment = new Dictionary<string, string>
        {
            ["HTTP_PROXY"] = withCredentials.ToString(),
            ["RUNAPI_BASE_URL"] = simulator.BaseUri.ToString(),
            ["RUNAPI_API_KEY"] = simulator.ApiKey,
        };

        var run = await RealPwsh.RunAsync(
            $"Import-Module '{ModuleSession.ModuleManifest}'; " +
            "$through = (Get-RunApiBalance).BalanceUsd; $logged = (Get-Content -Raw -LiteralPath '" + _proxy.LogPath + "'); " +
            "$around = (Get-RunApiBalance -NoProxy -Verbose 4>&1 | Out-String); " +
            "'through: ' + $through; 'logged: ' + ($logged -match '/api/v1/me/balance'); 'around: ' + $around",
            environment);

        Assert.True(run.ExitCode == 0, run.Errors);
        Assert.Contains("through: 10000", run.Output);
        Assert.Contains("logged: True", run.Output);
        Assert.Equal(1, CountForwarded(_proxy.Log)); // the second went around it
        Assert.Equal(2, simulator.Requests.Count);
        KeyForms.AssertAbsent(Tinyproxy.Password, run.Output + run.Errors, "pwsh's output");
    }

    [ProxyFact]
    public async Task The_proxy_example_of_about_RunApi_runs_through_a_real_proxy()
    {
        await using var session = await ModuleSession.StartAsync();
        var example = DocumentationExample.All.Single(e => e.File == "docs/about_RunApi.md" && e.Code.Contains("*-Imagen*:ProxyCredential"));
        var script = example.Code.Replace("http://proxy.corp:3128", _proxy.Address.GetLeftPart(UriPartial.Authority))
                                 .Replace("Get-Credential", "$proxyCredential");
        // The session's own defaults name the simulator's origin and key for *-Imagen*, and the example adds the proxy.
        session.Run($"$PSDefaultParameterValues['Get-RunApiBalance:BaseUri'] = '{session.Simulator.BaseUri}'; " +
                    $"$PSDefaultParameterValues['Get-RunApiBalance:ApiKey'] = '{session.Simulator.ApiKey}'");

        var result = session.Run(Credential(Tinyproxy.Password) + script);

        Assert.Empty(result.Errors);
        Assert.Single(Directory.GetFiles(Path.Combine(session.Folder, "out")));
        Assert.Equal(session.Simulator.Requests.Count, CountForwarded(_proxy.Log));
    }

    /// <summary>The requests the proxy was asked to carry (tinyproxy logs each as "Request (file descriptor N): GET http://..."), refused ones too.</summary>
    private static int CountRequests(string log) => log.Split('\n').Count(l => l.Contains("Request (file descriptor"));

    /// <summary>The requests it carried on, once it had the credentials it asks for.</summary>
    private static int CountForwarded(string log) => log.Split('\n').Count(l => l.Contains("Established connection to host"));
}
