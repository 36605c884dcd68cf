using System;
using System.Management.Automation;

namespace RunApi.PowerShell.Parameters
{
    /// <summary>A length of time from one second to 31 days (a time box); the message names the parameter.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class ValidateDurationAttribute : ValidateArgumentsAttribute
    {
        public ValidateDurationAttribute(string parameter)
        {
            Parameter = parameter;
        }

        public string Parameter { get; }

        private static readonly TimeSpan Min = TimeSpan.FromSeconds(1), Max = TimeSpan.FromDays(31);

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is TimeSpan span && span >= Min && span <= Max) return;
            throw new ValidationMetadataException($"-{Parameter} must be from 1 second to 31 days, such as 01:30:00 (an hour and a half); '{value}' is not.");
        }
    }
}
