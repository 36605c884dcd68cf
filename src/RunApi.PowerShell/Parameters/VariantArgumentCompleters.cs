using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using RunApi.Client.Models;
using RunApi.PowerShell.Cmdlets;

namespace RunApi.PowerShell.Parameters
{
    /// <summary>Completes -Model with the variant names, each with its price and description as the tooltip.</summary>
    public sealed class ModelCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(wordToComplete, ImagenVariants.All.Select(v =>
                (v.Name, $"{v.Name}: ${v.PriceCents / 100m:0.00} per image. {v.Description}")));
    }

    /// <summary>Completes -AspectRatio with the ratios of the model already chosen on the command line.</summary>
    public sealed class AspectRatioCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(wordToComplete, Completions.VariantFor(fakeBoundParameters).AspectRatios.Select(r => (r, r)));
    }

    /// <summary>Completes -OutputResolution and -OutputFormat with what the remix model accepts.</summary>
    public sealed class RemixOptionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var remix = ImagenVariants.Find(ImagenVariants.ProRemix)!;
            var values = string.Equals(parameterName, "OutputFormat", StringComparison.OrdinalIgnoreCase)
                ? remix.OutputFormats.Select(f => (f, f))
                : remix.OutputResolutions.Select(r => (r, $"{r}: ${remix.PriceCentsFor(r) / 100m:0.00} per image"));
            return Completions.Matching(wordToComplete, values);
        }
    }

    internal static class Completions
    {
        /// <summary>The variant the half-typed command line would use: -Model, else remix with -SourceImage, else the default.</summary>
        public static ImagenVariant VariantFor(IDictionary? bound)
        {
            var model = bound?["Model"]?.ToString();
            var hasSources = bound?.Contains("SourceImage") == true;
            return ImagenVariants.Find(model) ?? ImagenVariants.Find(hasSources ? ImagenVariants.ProRemix : ImagenVariants.Standard)!;
        }

        public static IEnumerable<CompletionResult> Matching(string? word, IEnumerable<(string Value, string Tooltip)> values)
        {
            var prefix = (word ?? string.Empty).Trim('\'', '"');
            return values
                .Where(v => v.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v.Value, v.Value, CompletionResultType.ParameterValue, v.Tooltip))
                .ToList();
        }
    }
}
