using RunApi.Client.Configuration;

namespace RunApi.Client.Tests;

/// <summary>Where the key and the origin come from, and the https rule (contract §1).</summary>
public class SettingsTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static string KeyText(RunApiSettings settings) => settings.ApiKey.Reveal();

    [Fact]
    public void The_callers_key_wins_over_the_environment()
    {
        var settings = RunApiSettings.Resolve("caller-key", null, Environment(("RUNAPI_API_KEY", "env-key")));
        Assert.Equal("caller-key", KeyText(settings));
    }

    [Fact]
    public void RUNAPI_API_KEY_wins_over_RUNAPI_KEY()
    {
        var settings = RunApiSettings.Resolve(null, null, Environment(("RUNAPI_API_KEY", "main"), ("RUNAPI_KEY", "legacy")));
        Assert.Equal("main", KeyText(settings));
    }

    [Fact]
    public void RUNAPI_KEY_is_read_when_RUNAPI_API_KEY_is_blank_and_whitespace_is_trimmed()
    {
        var settings = RunApiSettings.Resolve(null, null, Environment(("RUNAPI_API_KEY", "   "), ("RUNAPI_KEY", "  legacy \n")));
        Assert.Equal("legacy", KeyText(settings));
    }

    [Fact]
    public void No_key_anywhere_fails_with_how_to_set_it()
    {
        var error = Assert.Throws<RunApiConfigurationException>(() => RunApiSettings.Resolve(" ", null, Environment()));
        Assert.Equal(RunApiConfigurationProblem.MissingApiKey, error.Problem);
        Assert.Contains("RUNAPI_API_KEY", error.Message); // the facts; the cmdlets add how to give a key
    }

    [Fact]
    public void The_base_uri_comes_from_the_caller_then_RUNAPI_BASE_URL_then_the_default()
    {
        var env = Environment(("RUNAPI_BASE_URL", "https://env.example"));
        Assert.Equal("https://caller.example/", RunApiSettings.Resolve("k", "https://caller.example", env).BaseUri.ToString());
        Assert.Equal("https://env.example/", RunApiSettings.Resolve("k", null, env).BaseUri.ToString());
        Assert.Equal("https://runapi.ai/", RunApiSettings.Resolve("k", null, Environment()).BaseUri.ToString());
    }

    [Theory]
    [InlineData("https://runapi.ai", "https://runapi.ai/api/v1/me")]
    [InlineData("https://runapi.ai/", "https://runapi.ai/api/v1/me")]
    [InlineData("https://proxy.example/runapi//", "https://proxy.example/runapi/api/v1/me")]
    public void Paths_join_the_base_with_exactly_one_slash(string baseUri, string expected)
    {
        var settings = RunApiSettings.Resolve("k", baseUri, Environment());
        Assert.Equal(expected, settings.BuildUri("/api/v1/me").ToString());
    }

    [Theory]
    [InlineData("http://runapi.ai")]
    [InlineData("http://192.168.1.20:8080")]
    [InlineData("ftp://runapi.ai")]
    [InlineData("not a uri")]
    public void Anything_but_https_is_refused_off_loopback(string baseUri)
    {
        var error = Assert.Throws<RunApiConfigurationException>(() => RunApiSettings.Resolve("k", baseUri, Environment()));
        Assert.NotEqual(RunApiConfigurationProblem.MissingApiKey, error.Problem);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    public void Plain_http_is_allowed_on_loopback(string baseUri)
    {
        Assert.Equal(baseUri, RunApiSettings.Resolve("k", baseUri, Environment()).BaseUri.GetLeftPart(UriPartial.Authority));
    }

    [Fact]
    public void The_key_never_prints_itself()
    {
        var settings = RunApiSettings.Resolve("sk-very-secret", null, Environment());
        Assert.Equal("***", settings.ApiKey.ToString());
        Assert.Equal("[***]", settings.ApiKey.Redact("[sk-very-secret]"));
        Assert.DoesNotContain("sk-very-secret", $"{settings.ApiKey}");
    }
}
