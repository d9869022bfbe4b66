using Microsoft.Extensions.Options;

namespace AgentAspire.AgentWorker;

/// <summary>Refuses unusable <see cref="WorkerOptions"/> when the worker starts, naming every problem.</summary>
public sealed class WorkerOptionsValidation : IValidateOptions<WorkerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
