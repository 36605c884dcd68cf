using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.Client.Validation;

namespace RunApi.Client.Tests;

/// <summary>Bad input fails before any request, with the SDKs' wording (contract §2.5 and §7).</summary>
public class ValidationTests
{
    private static RunApiException Refused(CreateTaskRequest request)
    {
        var error = Assert.Throws<RunApiException>(() => RequestValidator.Validate(request));
        Assert.Equal(RunApiErrorKind.Validation, error.Kind);
        return error;
    }

    [Fact]
    public void Unknown_model_lists_the_sorted_models_of_the_endpoint()
    {
        var error = Refused(new TextToImageRequest("hi there", "nope"));
        Assert.Equal("model must be one of: imagen-4, imagen-4-fast, imagen-4-ultra", error.Message);
        Assert.Equal("model", error.Field);
    }

    [Fact]
    public void A_text_model_on_the_remix_endpoint_is_refused()
    {
        var error = Refused(new RemixImageRequest("Restyle this image", new[] { "https://example.com/a.jpg" }, "imagen-4"));
        Assert.Equal("model must be one of: imagen-4-pro-remix-image", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_prompt_is_required(string prompt)
    {
        Assert.Equal("prompt is required", Refused(new TextToImageRequest(prompt)).Message);
    }

    [Fact]
    public void A_ratio_the_model_does_not_allow_names_the_allowed_ones()
    {
        var error = Refused(new TextToImageRequest("hi there") { AspectRatio = "2:3" });
        Assert.Equal("aspect_ratio must be one of: 1:1, 16:9, 9:16, 3:4, 4:3", error.Message);
        Assert.Equal("aspect_ratio", error.Field);
    }

    [Fact]
    public void Auto_ratio_is_allowed_only_on_the_fast_model()
    {
        RequestValidator.Validate(new TextToImageRequest("hi there", ImagenVariants.Fast) { AspectRatio = "auto" });
        Refused(new TextToImageRequest("hi there", ImagenVariants.Ultra) { AspectRatio = "auto" });
    }

    [Fact]
    public void Remix_needs_source_images()
    {
        var error = Refused(new RemixImageRequest("Restyle this image", Array.Empty<string>()));
        Assert.Equal("source_image_urls is required", error.Message);
    }

    [Fact]
    public void Remix_takes_at_most_eight_source_images()
    {
        var urls = Enumerable.Range(1, 9).Select(i => $"https://example.com/{i}.jpg");
        Assert.Equal("source_image_urls must contain between 1 and 8 items", Refused(new RemixImageRequest("Restyle", urls)).Message);
        RequestValidator.Validate(new RemixImageRequest("Restyle", urls.Take(8)));
    }

    [Fact]
    public void Output_resolution_is_lowercase_only()
    {
        var request = new RemixImageRequest("Restyle", new[] { "https://example.com/a.jpg" }) { OutputResolution = "2K" };
        Assert.Equal("output_resolution must be one of: 1k, 2k, 4k", Refused(request).Message);
    }

    [Fact]
    public void Output_format_is_png_or_jpg()
    {
        var request = new RemixImageRequest("Restyle", new[] { "https://example.com/a.jpg" }) { OutputFormat = "gif" };
        Assert.Equal("output_format must be one of: png, jpg", Refused(request).Message);
    }

    [Fact]
    public void The_model_is_checked_before_the_fields_and_fields_alphabetically()
    {
        Assert.Equal("model", Refused(new TextToImageRequest("", "nope") { AspectRatio = "7:7" }).Field);
        Assert.Equal("aspect_ratio", Refused(new TextToImageRequest("") { AspectRatio = "7:7" }).Field);
    }

    [Fact]
    public void A_source_image_that_is_not_a_web_url_is_refused()
    {
        var error = Refused(new RemixImageRequest("Restyle", new[] { "C:/photos/cat.png" }));
        Assert.Equal("source_image_urls", error.Field);
    }

    [Fact]
    public void Blank_optional_fields_are_left_out_of_the_body_and_zero_is_kept()
    {
        var request = new TextToImageRequest("a red cube") { AspectRatio = "", NegativePrompt = "  ", Seed = 0 };
        var json = System.Text.Encoding.UTF8.GetString(request.ToJsonUtf8());
        Assert.Equal("""{"model":"imagen-4","prompt":"a red cube","seed":0}""", json);
    }

    [Fact]
    public void The_remix_body_uses_the_contract_field_names()
    {
        var request = new RemixImageRequest("Restyle this image", new[] { "https://example.com/a.jpg" })
        {
            AspectRatio = "auto", OutputResolution = "2k", OutputFormat = "png",
        };
        var json = System.Text.Encoding.UTF8.GetString(request.ToJsonUtf8());
        Assert.Equal("""{"aspect_ratio":"auto","model":"imagen-4-pro-remix-image","output_format":"png","output_resolution":"2k","prompt":"Restyle this image","source_image_urls":["https://example.com/a.jpg"]}""", json);
    }

    [Theory]
    [InlineData("imagen-4", null, 8)]
    [InlineData("imagen-4-fast", null, 4)]
    [InlineData("imagen-4-ultra", null, 12)]
    [InlineData("imagen-4-pro-remix-image", "2k", 18)]
    [InlineData("imagen-4-pro-remix-image", "4k", 24)]
    public void Each_variant_knows_its_price(string model, string? resolution, int cents)
    {
        Assert.Equal(cents, ImagenVariants.Find(model)!.PriceCentsFor(resolution));
    }
}
