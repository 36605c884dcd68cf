using System;
using System.Management.Automation;
using RunApi.Client.Batches;
using RunApi.PowerShell.Errors;

namespace RunApi.PowerShell.NewImage
{
    /// <summary>The error record of a prompt that failed in the batch, naming the prompt, its task and the image.</summary>
    internal static class PromptErrors
    {
        /// <param name="task">The task as last known, when one was created: the target, so that paid work can always be found again.</param>
        public static ErrorRecord For(BatchInput input, BatchFailure failure, ImagenTask? task)
        {
            var prompt = input.Tag as string;
            var record = ErrorRecords.From(failure.Error, (object?)task ?? prompt);
            var taskPart = input.TaskId is null ? string.Empty : $" (task {input.TaskId})";
            var address = failure.Source?.GetLeftPart(UriPartial.Path);
            var imagePart = failure.ImageIndex is not { } index ? string.Empty
                : $" image {index}" + (address is null || failure.Error.Message.Contains(address) ? string.Empty : $" from {address}");
            var action = record.ErrorDetails?.RecommendedAction;
            record.ErrorDetails = ErrorRecords.Details($"Prompt '{DisplayText.Shorten(prompt)}'{taskPart}{imagePart}: {failure.Error.Message}", action);
            return record;
        }

        /// <summary>A prompt not sent because a parameter of its record cannot be used; for all prompts alike when <paramref name="prompt"/> is null.</summary>
        public static ErrorRecord ParameterProblem(ParameterProblem problem, string? prompt)
        {
            var message = $"-{problem.Parameter}: {problem.Message}";
            return prompt is null
                ? ErrorRecords.InvalidArgument("RunApiInvalidParameter", message, problem.Parameter)
                : ErrorRecords.InvalidArgument("RunApiInvalidParameter", $"Prompt '{DisplayText.Shorten(prompt)}' was not submitted: {message}", prompt);
        }

        /// <summary>A prompt not sent because of <paramref name="error"/>, which every prompt of the call meets (a refused key).</summary>
        public static ErrorRecord NotSubmitted(Exception error, string prompt)
        {
            var record = ErrorRecords.From(error, prompt);
            record.ErrorDetails = ErrorRecords.Details($"Prompt '{DisplayText.Shorten(prompt)}' was not submitted: {error.Message}", record.ErrorDetails?.RecommendedAction);
            return record;
        }
    }
}
