using System.Linq;
using System.Management.Automation;
using RunApi.Client.Models;
using RunApi.PowerShell.Parameters;

namespace RunApi.PowerShell.Commands
{
    /// <summary>Lists the Imagen 4 model variants: endpoint, price, aspect ratios and what each accepts.</summary>
    [Cmdlet(VerbsCommon.Get, "ImagenVariant")]
    [OutputType(typeof(ImagenVariantInfo))]
    public sealed class GetImagenVariantCommand : PSCmdlet
    {
        /// <summary>Variant names; wildcards allowed. Default: all.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Model")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string[] Name { get; set; } = { "*" };

        protected override void ProcessRecord()
        {
            foreach (var pattern in Name)
            {
                var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
                var matches = ImagenVariants.All.Where(v => wildcard.IsMatch(v.Name)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    WriteError(new ErrorRecord(new ItemNotFoundException($"There is no Imagen 4 variant named '{pattern}'. Run Get-ImagenVariant to list them."),
                        "RunApiVariantNotFound", ErrorCategory.ObjectNotFound, pattern));
                }
                foreach (var variant in matches) WriteObject(new ImagenVariantInfo(variant));
            }
        }
    }
}
