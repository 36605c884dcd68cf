using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace RunApi.PowerShell.Tests.Support;

/// <summary>
/// A non-interactive host that records what PowerShell writes to the screen: -WhatIf lines and progress go to the
/// host, not to any stream, so a test needs a host to see them.
/// </summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingHostUI _ui = new();

    public IReadOnlyList<string> Lines => _ui.Lines.ToList();
    public IReadOnlyList<ProgressRecord> Progress => _ui.Progress.ToList();

    /// <summary>What the user types when asked for a line (Read-Host); null: the host cannot prompt.</summary>
    public string? TypedLine
    {
        get => _ui.TypedLine;
        set => _ui.TypedLine = value;
    }

    /// <summary>Warnings written to the host directly (what a cmdlet reports while its pipeline is stopping).</summary>
    public IReadOnlyList<string> Warnings => _ui.Warnings.ToList();

    public override string Name => "RunApi.Tests";
    public override Version Version { get; } = new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class RecordingHostUI : PSHostUserInterface
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public ConcurrentQueue<ProgressRecord> Progress { get; } = new();
        public ConcurrentQueue<string> Warnings { get; } = new();

        public override PSHostRawUserInterface? RawUI => null;
        public override void Write(string value) => Lines.Enqueue(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Enqueue(value);
        public override void WriteLine(string value) => Lines.Enqueue(value);
        public override void WriteErrorLine(string value) => Lines.Enqueue(value);
        public override void WriteDebugLine(string message) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) => Warnings.Enqueue(message);
        public override void WriteProgress(long sourceId, ProgressRecord record) => Progress.Enqueue(record);

        public string? TypedLine { get; set; }

        public override string ReadLine() => TypedLine ?? throw new NotSupportedException("The test host cannot prompt.");

        public override SecureString ReadLineAsSecureString()
        {
            var secure = new SecureString();
            foreach (var c in ReadLine()) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>Read-Host with a prompt asks here: each field gets the typed line.</summary>
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            descriptions.ToDictionary(d => d.Name, d => PSObject.AsPSObject(
                d.ParameterTypeFullName == typeof(SecureString).FullName ? ReadLineAsSecureString() : ReadLine()));
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("The test host cannot prompt.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException("The test host cannot prompt.");
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("The test host cannot prompt.");
    }
}
