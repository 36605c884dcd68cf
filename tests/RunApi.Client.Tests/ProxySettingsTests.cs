using System.Net;
using RunApi.Client.Configuration;
using RunApi.Client.Http;

namespace RunApi.Client.Tests;

/// <summary>Which proxy a request takes: -NoProxy, then -Proxy, then the environment's, then the system's; NO_PROXY exempts.</summary>
public class ProxySettingsTests
{
    private static readonly Uri Api = new("https://runapi.ai/api/v1/me/balance");
    private static readonly Uri Simulator = new("http://127.0.0.1:5080/api/v1/me/balance");

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void An_explicit_proxy_carries_loopback_addresses_too()
    {
        var proxy = new ProxySettings(new Uri("http://proxy.corp:3128"), null, false, false).Choose(Environment())!;

        Assert.Equal(new Uri("http://proxy.corp:3128"), proxy.GetProxy(Simulator));
        Assert.False(proxy.IsBypassed(Simulator));
    }

    [Fact]
    public void NoProxy_goes_direct_whatever_the_environment_says()
    {
        Assert.Null(new ProxySettings(null, null, false, noProxy: true).Choose(Environment(("HTTPS_PROXY", "http://proxy.corp:3128"))));
    }

    [Fact]
    public void The_environment_gives_one_proxy_per_scheme_and_its_user_and_password_as_credentials_never_in_the_address()
    {
        var proxy = ProxySettings.Default.Choose(Environment(
            ("HTTPS_PROXY", "http://alice:p%40ss@secure.corp:3128"), ("http_proxy", "plain.corp:8080")))!;

        Assert.Equal(new Uri("http://secure.corp:3128"), proxy.GetProxy(Api));
        Assert.Equal(new Uri("http://plain.corp:8080"), proxy.GetProxy(Simulator));
        var credential = proxy.Credentials!.GetCredential(Api, "Basic")!;
        Assert.Equal(("alice", "p@ss"), (credential.UserName, credential.Password));
        Assert.Equal("p@ss", ProxySettings.Default.Password(Environment(("HTTPS_PROXY", "http://alice:p%40ss@secure.corp:3128"))));
    }

    [Fact]
    public void A_user_and_password_in_an_explicit_address_are_credentials_and_given_ones_win()
    {
        var fromAddress = new ProxySettings(new Uri("http://bob:hunter2@proxy.corp:3128"), null, false, false);
        var given = new ProxySettings(new Uri("http://bob:hunter2@proxy.corp:3128"), new NetworkCredential("carol", "other"), false, false);

        Assert.Equal("http://proxy.corp:3128/", fromAddress.Address!.ToString());
        Assert.Equal("hunter2", fromAddress.Credential!.Password);
        Assert.Equal("carol", given.Credential!.UserName);
    }

    [Theory]
    [InlineData("runapi.ai", true)]
    [InlineData(".runapi.ai", true)]
    [InlineData("api.runapi.ai", false)] // a subdomain's entry does not cover its parent
    [InlineData("ai", true)]
    [InlineData("runapi.ai:8443", false)]
    [InlineData("runapi.ai:443", true)]
    [InlineData("*", true)]
    [InlineData("example.com, 10.0.0.1", false)]
    public void NO_PROXY_exempts_hosts_their_subdomains_and_host_port_pairs(string noProxy, bool exempt)
    {
        var proxy = new ProxySettings(new Uri("http://proxy.corp:3128"), null, false, false).Choose(Environment(("NO_PROXY", noProxy)))!;

        Assert.Equal(exempt, proxy.IsBypassed(Api));
    }

    [Fact]
    public void A_proxy_variable_that_is_not_a_URL_is_a_configuration_error_before_anything_is_sent()
    {
        var error = Assert.Throws<RunApiConfigurationException>(() => ProxySettings.Default.Choose(Environment(("HTTPS_PROXY", "http://[bad"))));

        Assert.Equal(RunApiConfigurationProblem.InvalidProxy, error.Problem);
    }

    [Fact]
    public void An_explicit_proxy_must_be_http_or_https()
    {
        Assert.Throws<ArgumentException>(() => new ProxySettings(new Uri("socks5://proxy.corp:1080"), null, false, false));
    }

    [Theory]
    [InlineData("user:s3cret@proxy.corp:3128")] // parses with "user" as its scheme
    [InlineData("socks5://user:s3cret@proxy.corp:1080")]
    public void The_error_for_an_address_that_is_not_http_never_shows_the_password(string address)
    {
        var error = Assert.Throws<ArgumentException>(() => new ProxySettings(new Uri(address), null, false, false));

        Assert.DoesNotContain("s3cret", error.Message);
        Assert.Contains("http://host:port", error.Message);
    }
}
