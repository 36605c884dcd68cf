using RunApi.Client.Errors;
using RunApi.Client.Models;
using RunApi.PowerShell.NewImage;

namespace RunApi.PowerShell.UnitTests.NewImage;

/// <summary>A record's parameters and each prompt to the request sent: one build and one check per prompt.</summary>
public class RequestBinderTests
{
    [Fact]
    public void A_prompt_is_bound_in_the_APIs_spelling_of_each_value()
    {
        var binder = RequestBinder.For(new RecordParameters { Model = "IMAGEN-4-FAST", AspectRatio = "AUTO", Seed = 7 });

        var request = Assert.IsType<TextToImageRequest>(binder.Bind("a red cube"));

        Assert.Equal("imagen-4-fast", request.Model);
        Assert.Equal("auto", request.AspectRatio);
        Assert.Equal(7, request.Seed);
        Assert.Equal("a red cube", request.Prompt);
    }

    [Fact]
    public void A_value_the_model_does_not_allow_is_the_records_problem_in_parameter_terms()
    {
        var binder = RequestBinder.For(new RecordParameters { AspectRatio = "2:1" });

        var problem = Assert.Throws<ParameterProblem>(() => binder.Bind("a red cube"));

        Assert.Equal("AspectRatio", problem.Parameter);
        Assert.Equal("must be one of: 1:1, 16:9, 9:16, 3:4, 4:3.", problem.Message);
    }

    [Fact]
    public void A_blank_prompt_is_that_prompts_problem_only()
    {
        var binder = RequestBinder.For(new RecordParameters());

        var error = Assert.Throws<RunApiException>(() => binder.Bind("  "));

        Assert.Equal("prompt", error.Field);
        Assert.IsType<TextToImageRequest>(binder.Bind("the next prompt"));
    }

    [Theory]
    [InlineData("imagen-5", null, "Model", "'imagen-5' is not an Imagen 4 model")]
    [InlineData("imagen-4-pro-remix-image", null, "SourceImage", "remixes source images: give 1 to 8 with -SourceImage")]
    [InlineData("imagen-4", "4k", "OutputResolution", "imagen-4 takes no output resolution")]
    public void A_model_and_parameters_that_do_not_go_together_are_refused_before_any_prompt(string model, string? resolution, string parameter, string message)
    {
        var problem = Assert.Throws<ParameterProblem>(() => RequestBinder.For(new RecordParameters { Model = model, OutputResolution = resolution }));

        Assert.Equal(parameter, problem.Parameter);
        Assert.Contains(message, problem.Message);
    }
}
