using System;
using System.Management.Automation;
using System.Net;
using System.Security;

namespace RunApi.PowerShell.Parameters
{
    /// <summary>
    /// Lets -ApiKey take a SecureString (such as Get-Secret returns), a PSCredential (its password) or a plain string,
    /// and hands the cmdlet a SecureString in every case.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ApiKeyTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case SecureString secure:
                    return secure;
                case PSCredential credential:
                    return credential.Password;
                case string text:
                    return ToSecureString(text);
                default:
                    throw new ArgumentTransformationMetadataException(
                        "-ApiKey takes a SecureString (for example from Get-Secret), a PSCredential or a string.");
            }
        }

        private static SecureString ToSecureString(string text)
        {
            var secure = new NetworkCredential(string.Empty, text).SecurePassword;
            secure.MakeReadOnly();
            return secure;
        }
    }
}
