using System;
using System.Management.Automation;

namespace RunApi.PowerShell.Parameters
{
    /// <summary>
    /// Empty or whitespace text binds as "not given". CSV rows bring every column, filled or not: an empty Seed cell
    /// would otherwise become seed 0, and an empty NegativePrompt would count as given to a model that takes none.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class BlankAsNullAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
        }
    }
}
