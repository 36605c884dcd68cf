using RunApi.Help;

namespace RunApi.HelpGen;

/// <summary>
/// What a page needs before it can become MAML. The help test checks the pages against the real cmdlets; these checks
/// only catch a page that is incomplete or inconsistent in itself, with a message that points at the line to fix.
/// </summary>
internal static class PageChecks
{
    public static IEnumerable<string> Problems(CommandPage page, string fileName)
    {
        var where = fileName + ".md";
        if (page.Name != fileName) yield return $"{where}: the title '# {page.Name}' does not match the file name.";
        if (HelpText.Flatten(page.Synopsis).Length == 0) yield return $"{where}: SYNOPSIS is empty.";
        if (HelpText.Flatten(page.Description).Length == 0) yield return $"{where}: DESCRIPTION is empty.";
        if (page.Syntax.Count == 0) yield return $"{where}: SYNTAX has no code block.";
        if (page.Examples.Count == 0) yield return $"{where}: EXAMPLES has no example.";

        foreach (var parameter in page.Parameters)
        {
            if (HelpText.Flatten(parameter.Description).Length == 0) yield return $"{where}: -{parameter.Name} has no description.";
        }

        foreach (var entry in page.Syntax)
        {
            foreach (var name in entry.ParameterNames)
            {
                var parameter = page.Parameter(name);
                if (parameter is null)
                {
                    yield return $"{where}: the syntax of {entry.ParameterSet} names -{name}, which PARAMETERS does not describe.";
                }
                else if (!parameter.Facts.Any(f => f.AppliesTo(entry.ParameterSet)))
                {
                    yield return $"{where}: -{name} is in the syntax of {entry.ParameterSet} but its 'Parameter Sets' do not list it.";
                }
            }
        }

        foreach (var parameter in page.Parameters)
        {
            if (!page.Syntax.Any(s => s.ParameterNames.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase)))
            {
                yield return $"{where}: -{parameter.Name} is described but appears in no syntax block.";
            }
        }
    }
}
