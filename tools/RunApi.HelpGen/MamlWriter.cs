using System.Text;
using System.Xml;
using RunApi.Help;

namespace RunApi.HelpGen;

/// <summary>
/// Writes cmdlet help as MAML, laid out as platyPS's New-ExternalHelp lays it out, so Get-Help reads it the same way
/// in Windows PowerShell 5.1 and PowerShell 7.
/// </summary>
internal static class MamlWriter
{
    private const string MshNs = "http://msh";
    private const string MamlNs = "http://schemas.microsoft.com/maml/2004/10";
    private const string CommandNs = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string DevNs = "http://schemas.microsoft.com/maml/dev/2004/10";
    private const string MsHelpNs = "http://msdn.microsoft.com/mshelp";

    public static string Write(IEnumerable<CommandPage> pages)
    {
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", Encoding = new UTF8Encoding(false) };
        using (var xml = XmlWriter.Create(new StringWriterUtf8(text), settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("helpItems", MshNs);
            xml.WriteAttributeString("schema", "maml");
            foreach (var page in pages) WriteCommand(xml, page);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return text.Append('\n').ToString();
    }

    private static void WriteCommand(XmlWriter xml, CommandPage page)
    {
        xml.WriteStartElement("command", "command", CommandNs);
        xml.WriteAttributeString("xmlns", "maml", null, MamlNs);
        xml.WriteAttributeString("xmlns", "command", null, CommandNs);
        xml.WriteAttributeString("xmlns", "dev", null, DevNs);
        xml.WriteAttributeString("xmlns", "MSHelp", null, MsHelpNs);

        var dash = page.Name.IndexOf('-');
        xml.WriteStartElement("command", "details", CommandNs);
        xml.WriteElementString("command", "name", CommandNs, page.Name);
        xml.WriteElementString("command", "verb", CommandNs, page.Name.Substring(0, dash));
        xml.WriteElementString("command", "noun", CommandNs, page.Name.Substring(dash + 1));
        Description(xml, page.Synopsis);
        xml.WriteEndElement();

        Description(xml, page.Description);

        xml.WriteStartElement("command", "syntax", CommandNs);
        foreach (var entry in page.Syntax)
        {
            xml.WriteStartElement("command", "syntaxItem", CommandNs);
            xml.WriteElementString("maml", "name", MamlNs, page.Name);
            foreach (var name in entry.ParameterNames)
            {
                var parameter = page.Parameter(name)!;
                Parameter(xml, parameter, parameter.Facts.First(f => f.AppliesTo(entry.ParameterSet)), inSyntax: true);
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteStartElement("command", "parameters", CommandNs);
        foreach (var parameter in page.Parameters) Parameter(xml, parameter, parameter.Facts[0], inSyntax: false);
        xml.WriteEndElement();

        Types(xml, "inputTypes", "inputType", page.Inputs);
        Types(xml, "returnValues", "returnValue", page.Outputs);

        xml.WriteStartElement("maml", "alertSet", MamlNs);
        xml.WriteStartElement("maml", "alert", MamlNs);
        Paras(xml, page.Notes);
        xml.WriteEndElement();
        xml.WriteEndElement();

        xml.WriteStartElement("command", "examples", CommandNs);
        foreach (var example in page.Examples)
        {
            xml.WriteStartElement("command", "example", CommandNs);
            xml.WriteElementString("maml", "title", MamlNs, $"-------------------------- {example.Title} --------------------------");
            xml.WriteElementString("dev", "code", DevNs, example.Code);
            xml.WriteStartElement("dev", "remarks", DevNs);
            Paras(xml, example.Remarks);
            // An empty para ends the example with a blank line, so the next title stands apart in Get-Help -Examples.
            xml.WriteElementString("maml", "para", MamlNs, "");
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteStartElement("command", "relatedLinks", CommandNs);
        if (page.Metadata.TryGetValue("online version", out var online) && online.Length > 0) Link(xml, "Online Version:", online);
        foreach (var link in page.Links)
        {
            // Links to sibling pages (Wait-ImagenTask.md) name a command: Get-Help shows the name alone.
            var isPage = !Uri.TryCreate(link.Uri, UriKind.Absolute, out _);
            Link(xml, link.Text, isPage ? "" : link.Uri);
        }
        xml.WriteEndElement();

        xml.WriteEndElement();
    }

    private static void Parameter(XmlWriter xml, ParameterEntry parameter, ParameterFacts facts, bool inSyntax)
    {
        var isSwitch = facts.Type == "SwitchParameter";
        var isArray = facts.Type.EndsWith("[]", StringComparison.Ordinal);
        xml.WriteStartElement("command", "parameter", CommandNs);
        xml.WriteAttributeString("required", Lower(facts.Required));
        xml.WriteAttributeString("variableLength", Lower(isArray));
        xml.WriteAttributeString("globbing", Lower(facts.AcceptsWildcards));
        xml.WriteAttributeString("pipelineInput", facts.PipelineInput);
        xml.WriteAttributeString("position", facts.Position.ToLowerInvariant());
        xml.WriteAttributeString("aliases", facts.Aliases.Count == 0 ? "none" : string.Join(", ", facts.Aliases));

        xml.WriteElementString("maml", "name", MamlNs, parameter.Name);
        Description(xml, parameter.Description);
        if (inSyntax && facts.AcceptedValues.Count > 0)
        {
            xml.WriteStartElement("command", "parameterValueGroup", CommandNs);
            foreach (var value in facts.AcceptedValues) ParameterValue(xml, value, required: false, variableLength: false);
            xml.WriteEndElement();
        }
        // As platyPS does: a switch shows no value in the syntax.
        if (!inSyntax || !isSwitch) ParameterValue(xml, facts.Type, required: !isSwitch, variableLength: isArray);
        xml.WriteStartElement("dev", "type", DevNs);
        xml.WriteElementString("maml", "name", MamlNs, facts.Type);
        xml.WriteElementString("maml", "uri", MamlNs, "");
        xml.WriteEndElement();
        xml.WriteElementString("dev", "defaultValue", DevNs, facts.DefaultValue);
        xml.WriteEndElement();
    }

    private static void ParameterValue(XmlWriter xml, string value, bool required, bool variableLength)
    {
        xml.WriteStartElement("command", "parameterValue", CommandNs);
        xml.WriteAttributeString("required", Lower(required));
        xml.WriteAttributeString("variableLength", Lower(variableLength));
        xml.WriteString(value);
        xml.WriteEndElement();
    }

    private static void Types(XmlWriter xml, string listElement, string itemElement, IEnumerable<TypeEntry> types)
    {
        xml.WriteStartElement("command", listElement, CommandNs);
        foreach (var type in types)
        {
            xml.WriteStartElement("command", itemElement, CommandNs);
            xml.WriteStartElement("dev", "type", DevNs);
            xml.WriteElementString("maml", "name", MamlNs, type.TypeName);
            xml.WriteEndElement();
            Description(xml, type.Description);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void Link(XmlWriter xml, string text, string uri)
    {
        xml.WriteStartElement("maml", "navigationLink", MamlNs);
        xml.WriteElementString("maml", "linkText", MamlNs, text);
        xml.WriteElementString("maml", "uri", MamlNs, uri);
        xml.WriteEndElement();
    }

    private static void Description(XmlWriter xml, IEnumerable<TextBlock> blocks)
    {
        xml.WriteStartElement("maml", "description", MamlNs);
        Paras(xml, blocks);
        xml.WriteEndElement();
    }

    /// <summary>One para per paragraph, list item (marker kept) or code block (lines kept).</summary>
    private static void Paras(XmlWriter xml, IEnumerable<TextBlock> blocks)
    {
        foreach (var block in blocks) xml.WriteElementString("maml", "para", MamlNs, block.Text);
    }

    private static string Lower(bool value) => value ? "true" : "false";

    /// <summary>A StringWriter that declares UTF-8, so the XML declaration says what the file is.</summary>
    private sealed class StringWriterUtf8(StringBuilder builder) : StringWriter(builder)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
