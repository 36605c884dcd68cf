using System.Net;

namespace RunApi.Client.Tests.Simulator;

public sealed class CreateValidationTests
{
    [Theory]
    [InlineData(SimHarness.TextToImage, """{"model":"imagen-4"}""", """{"prompt":["is required"]}""")]
    [InlineData(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"   "}""", """{"prompt":["is required"]}""")]
    [InlineData(SimHarness.TextToImage, """{"model":"nope","prompt":"hi there"}""", """{"model":["must be one of: imagen-4, imagen-4-fast, imagen-4-ultra"]}""")]
    [InlineData(SimHarness.TextToImage, """{"prompt":"hi there"}""", """{"model":["must be one of: imagen-4, imagen-4-fast, imagen-4-ultra"]}""")]
    [InlineData(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"hi there","aspect_ratio":"2:3"}""", """{"aspect_ratio":["must be one of: 1:1, 16:9, 9:16, 3:4, 4:3"]}""")]
    [InlineData(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"hi there","aspect_ratio":"auto"}""", """{"aspect_ratio":["must be one of: 1:1, 16:9, 9:16, 3:4, 4:3"]}""")]
    [InlineData(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"hi","seed":1.5}""", """{"seed":["must be an integer"]}""")]
    [InlineData(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"hi","seed":"7"}""", """{"seed":["must be an integer"]}""")]
    [InlineData(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"hi","output_count":2}""", """{"output_count":["is not a permitted parameter"]}""")]
    [InlineData(SimHarness.RemixImage, """{"model":"imagen-4","prompt":"x","source_image_urls":["https://e.com/a.png"]}""", """{"model":["must be one of: imagen-4-pro-remix-image"]}""")]
    [InlineData(SimHarness.RemixImage, """{"model":"imagen-4-pro-remix-image","prompt":"x"}""", """{"source_image_urls":["is required"]}""")]
    [InlineData(SimHarness.RemixImage, """{"model":"imagen-4-pro-remix-image","prompt":"x","source_image_urls":[]}""", """{"source_image_urls":["is required"]}""")]
    [InlineData(SimHarness.RemixImage, """{"model":"imagen-4-pro-remix-image","prompt":"x","source_image_urls":["a","b","c","d","e","f","g","h","i"]}""", """{"source_image_urls":["must contain between 1 and 8 items"]}""")]
    [InlineData(SimHarness.RemixImage, """{"model":"imagen-4-pro-remix-image","prompt":"x","source_image_urls":["a"],"output_resolution":"2K"}""", """{"output_resolution":["must be one of: 1k, 2k, 4k"]}""")]
    [InlineData(SimHarness.RemixImage, """{"model":"imagen-4-pro-remix-image","prompt":"x","source_image_urls":["a"],"seed":1}""", """{"seed":["is not a permitted parameter"]}""")]
    public async Task Invalid_bodies_get_422_with_field_errors(string path, string body, string expectedErrors)
    {
        await using var h = await SimHarness.StartAsync();

        var reply = await h.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
        Assert.Equal($$"""{"error":"Validation failed","errors":{{expectedErrors}}}""", reply.Text);
        Assert.Empty(h.Sim.Tasks);
        Assert.Equal(1_000_000, h.Sim.BalanceCents);
    }

    [Fact]
    public async Task Several_failures_are_reported_together_model_first_then_alphabetically()
    {
        await using var h = await SimHarness.StartAsync();

        var reply = await h.PostAsync(SimHarness.TextToImage, """{"seed":true,"model":"imagen-5","aspect_ratio":42}""");

        Assert.Equal(
            """{"error":"Validation failed","errors":{"model":["must be one of: imagen-4, imagen-4-fast, imagen-4-ultra"],"aspect_ratio":["must be a string"],"prompt":["is required"],"seed":["must be an integer"]}}""",
            reply.Text);
    }

    [Fact]
    public async Task Enums_that_do_not_depend_on_the_model_are_checked_even_when_the_model_is_wrong()
    {
        await using var h = await SimHarness.StartAsync();

        var remix = await h.PostAsync(SimHarness.RemixImage, """{"model":"x","prompt":"p","source_image_urls":["a"],"aspect_ratio":"7:7"}""");
        var textToImage = await h.PostAsync(SimHarness.TextToImage, """{"model":"x","prompt":"p","aspect_ratio":"7:7"}""");

        Assert.Equal(["model", "aspect_ratio"], remix.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["model"], textToImage.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Null_and_blank_fields_are_dropped_before_validation_while_zero_is_kept()
    {
        await using var h = await SimHarness.StartAsync();

        var reply = await h.PostAsync(
            SimHarness.TextToImage,
            """{"model":"imagen-4-fast","prompt":"hi there","aspect_ratio":"auto","negative_prompt":"","callback_url":null,"seed":0}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    public async Task Bodies_that_are_not_a_json_object_get_400(string body)
    {
        await using var h = await SimHarness.StartAsync();

        var reply = await h.PostAsync(SimHarness.TextToImage, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("""{"error":"Invalid JSON body"}""", reply.Text);
    }

    [Fact]
    public async Task Too_little_balance_gets_402_and_creates_nothing()
    {
        await using var h = await SimHarness.StartAsync(o => o.BalanceCents = 7);

        var reply = await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"a red cube"}""");

        Assert.Equal(HttpStatusCode.PaymentRequired, reply.Status);
        Assert.Equal("""{"error":{"code":"insufficient_credits","message":"Insufficient credits"}}""", reply.Text);
        Assert.Empty(h.Sim.Tasks);
        Assert.Equal(7, h.Sim.BalanceCents);

        h.Sim.BalanceCents = 8;
        Assert.Equal(HttpStatusCode.OK, (await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4","prompt":"a red cube"}""")).Status);
        Assert.Equal(0, h.Sim.BalanceCents);
    }

    [Fact]
    public async Task Validation_comes_before_the_credit_check()
    {
        await using var h = await SimHarness.StartAsync(o => o.BalanceCents = 0);

        var reply = await h.PostAsync(SimHarness.TextToImage, """{"model":"imagen-4"}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Status);
    }
}
