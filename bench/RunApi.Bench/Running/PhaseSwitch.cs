using RunApi.Bench.Scenarios;
using RunApi.Simulator;

namespace RunApi.Bench.Running;

/// <summary>
/// Gives each task of a phased scenario its phase's generation time. The simulator draws a task's time at its create
/// from <see cref="SimulatorOptions.GenerationTimeByModel"/>, so once a phase's last task exists, the range becomes the
/// next phase's. The worker starts a phase only when the one before has ended, seconds after its last create, so no
/// create can come between; <see cref="Verify"/> checks that none did.
/// </summary>
internal sealed class PhaseSwitch : IDisposable
{
    private readonly RunApiSimulator _simulator;
    private readonly string _model;
    private readonly IReadOnlyList<Phase> _phases;
    private readonly object _gate = new();
    private int _current;

    public PhaseSwitch(RunApiSimulator simulator, string model, IReadOnlyList<Phase> phases)
    {
        _simulator = simulator;
        _model = model;
        _phases = phases;
        Set(0);
        simulator.RequestCompleted += OnRequest;
    }

    public void Dispose() => _simulator.RequestCompleted -= OnRequest;

    /// <summary>Throws unless every task of the model, in creation order, took a time in its own phase's range.</summary>
    public void Verify()
    {
        var tasks = _simulator.Tasks.Where(t => t.Model == _model).ToList();
        for (var i = 0; i < tasks.Count; i++)
        {
            var generation = _phases[PhaseOf(i)].Generation;
            var took = tasks[i].CompletesAt - tasks[i].CreatedAt;
            if (took < generation.Min - TimeSpan.FromMilliseconds(1) || took > generation.Max + TimeSpan.FromMilliseconds(1))
            {
                throw new InvalidOperationException($"Task {i + 1} took {took.TotalSeconds:0.###} s, outside its phase's {generation}: a create came before the switch.");
            }
        }
    }

    private void OnRequest(RecordedRequest request)
    {
        if (request.Method != "POST") return;
        var next = PhaseOf(_simulator.Tasks.Count(t => t.Model == _model));
        lock (_gate)
        {
            if (next != _current) Set(next);
        }
    }

    private void Set(int phase)
    {
        _current = phase;
        var generation = _phases[phase].Generation;
        _simulator.Options.GenerationTimeByModel[_model] = (generation.Min, generation.Max);
    }

    /// <summary>The phase of the task created <paramref name="index"/>-th (from 0); past the last phase, the last.</summary>
    private int PhaseOf(int index)
    {
        for (var phase = 0; phase < _phases.Count; phase++)
        {
            index -= _phases[phase].Count;
            if (index < 0) return phase;
        }
        return _phases.Count - 1;
    }
}
