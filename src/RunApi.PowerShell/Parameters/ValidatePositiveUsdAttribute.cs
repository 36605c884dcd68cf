using System;
using System.Management.Automation;

namespace RunApi.PowerShell.Parameters
{
    /// <summary>An amount of US dollars that must be more than zero (a budget); the message names the parameter.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class ValidatePositiveUsdAttribute : ValidateArgumentsAttribute
    {
        public ValidatePositiveUsdAttribute(string parameter)
        {
            Parameter = parameter;
        }

        public string Parameter { get; }

        // Far above any batch, and far below what cents in a long can hold.
        private const decimal Max = 1_000_000m;

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is decimal amount && amount >= 0.01m && amount <= Max) return;
            throw new ValidationMetadataException($"-{Parameter} must be an amount of US dollars from 0.01 to {Max:0}, such as 5 or 12.50; '{value}' is not.");
        }
    }
}
