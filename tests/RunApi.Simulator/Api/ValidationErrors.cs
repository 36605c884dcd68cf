namespace RunApi.Simulator.Api;

/// <summary>Field errors in the order they were found (the order the contract checks them in).</summary>
internal sealed class ValidationErrors
{
    private readonly List<(string Field, List<string> Messages)> _fields = new();

    public bool Any => _fields.Count > 0;

    public IEnumerable<(string Field, List<string> Messages)> All => _fields;

    public void Add(string field, string message)
    {
        var existing = _fields.FindIndex(f => f.Field == field);
        if (existing >= 0)
        {
            _fields[existing].Messages.Add(message);
        }
        else
        {
            _fields.Add((field, [message]));
        }
    }
}
