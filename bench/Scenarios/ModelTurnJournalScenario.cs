using System.Diagnostics;
using AgentAspire.Agents;
using AgentAspire.Agents.Chat;
using AgentAspire.Agents.Journaling;
using AgentAspire.AgentState;
using AgentAspire.AgentState.Journal;
using AgentAspire.AgentState.Leases;
using AgentAspire.AgentState.Scripting;
using AgentAspire.Bench.Measuring;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentAspire.Bench.Scenarios;

/// <summary>
/// What journaling a model turn costs: the same chat call to an OpenAI-compatible responder on loopback, made bare
/// through the worker's <see cref="IChatClient"/> and through a step's <see cref="StepJournal"/> on a claimed run
/// (lease check, then the fenced journal script with its usage and <c>model_call</c> entry), alternating which goes
/// first. Valkey's commands and CPU are taken over the measured turns only: the bare calls send none.
/// </summary>
internal sealed class ModelTurnJournalScenario : IScenario
{
    /// <summary>Turns per run: a model loop of a few tool calls and an answer, each run a fresh journal.</summary>
    private const int TurnsPerRun = 8;

    private const int WarmUpTurns = 200;

    public string Group => "model turn journal: one call at a time";

    public string Name => "journaled vs bare chat call";

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await using var connection = await context.ConnectAsync().ConfigureAwait(false);
        await using var services = BenchContext.Services(connection);
        await AgentStateScripts.LoadAsync(connection).ConfigureAwait(false);
        await using var responder = ChatCompletionsResponder.Start();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:llm"] = $"Endpoint={responder.BaseAddress}v1;Key=bench;Model=bench-model",
            ["Models:Prices:bench-model:Input"] = "2",
            ["Models:Prices:bench-model:Output"] = "10",
            ["Models:Prices:bench-model:CachedInput"] = "0.5",
        }).Build();
        // The client the worker builds from the same settings, OpenTelemetry wrapper included.
        await using var chat = new ServiceCollection().AddLogging().AddAgentChatClient(configuration).BuildServiceProvider();
        var model = chat.GetRequiredService<IChatClient>();
        var prices = chat.GetRequiredService<ModelPrices>();
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You answer questions about AgentAspire. Search the documentation first; use the other tools when they help."),
            new(ChatRole.User, "How does a run resume after a crash?"),
        ];

        // Runs are created and claimed before the measuring starts, so their commands stay out of the per-turn counts.
        var runs = context.Smoke ? 8 : Math.Max(50, (int)(context.Duration.TotalSeconds * 1500 / TurnsPerRun));
        var warmUp = await ClaimAsync(services, WarmUpTurns / TurnsPerRun).ConfigureAwait(false);
        var leases = await ClaimAsync(services, runs).ConfigureAwait(false);
        await TurnsAsync(warmUp, WarmUpTurns, null, null).ConfigureAwait(false);

        var bare = new Latencies();
        var journaled = new Latencies();
        var servers = BenchContext.Primaries(connection);
        var before = await ServerSnapshot.TakeAsync(servers).ConfigureAwait(false);
        var sentBefore = BenchContext.SentOperations(connection);
        var turns = await TurnsAsync(leases, int.MaxValue, bare, journaled).ConfigureAwait(false);
        var sent = BenchContext.SentOperations(connection) - sentBefore;
        var after = await ServerSnapshot.TakeAsync(servers).ConfigureAwait(false);
        // What a turn leaves in the run's journal hash, taken on the first run (all its turns measured).
        var journalBytes = (long)await connection.GetDatabase().ExecuteAsync("MEMORY", "USAGE", AgentKeys.Calls(leases[0].RunId)).ConfigureAwait(false);
        // Every measured turn was a live call, recorded in a slot of its own: none was answered from the journal.
        var recorded = await connection.GetDatabase().HashLengthAsync(AgentKeys.Calls(leases[0].RunId)).ConfigureAwait(false);
        if (recorded != TurnsPerRun)
        {
            throw new InvalidOperationException($"Run {leases[0].RunId}: {recorded} calls recorded; expected {TurnsPerRun} live.");
        }

        var result = new ScenarioResult(Group, Name)
            .Add("bare_p50_ms", bare.Percentile(50))
            .Add("journaled_p50_ms", journaled.Percentile(50))
            .Add("added_p50_ms", journaled.Percentile(50) - bare.Percentile(50))
            .Add("added_p95_ms", journaled.Percentile(95) - bare.Percentile(95))
            .Add("journal_bytes_per_turn", journalBytes / (double)TurnsPerRun)
            .Add("turns", turns);
        result.AddServerCost(before, after, turns, sent, unit: "turn");
        return result;

        // Alternates a bare and a journaled call per turn, the order flipping every turn; returns the journaled turns.
        async Task<long> TurnsAsync(IReadOnlyList<RunLease> claimed, int most, Latencies? bareTimes, Latencies? journaledTimes)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(context.Duration.TotalSeconds * Stopwatch.Frequency);
            long done = 0;
            foreach (var lease in claimed)
            {
                var journal = new StepJournal(lease, 1, new Dictionary<int, JournalEntry>(), new RunSpend(ModelUsage.None, RunBudget.Unlimited), null, prices, NullLogger.Instance);
                for (var turn = 0; turn < TurnsPerRun; turn++)
                {
                    if (done >= most || Stopwatch.GetTimestamp() >= deadline || cancellationToken.IsCancellationRequested)
                    {
                        return done;
                    }

                    var journalFirst = done % 2 == 1;
                    if (journalFirst)
                    {
                        await JournaledAsync(journal, journaledTimes).ConfigureAwait(false);
                    }

                    var started = Stopwatch.GetTimestamp();
                    var answer = await model.GetResponseAsync(messages, cancellationToken: cancellationToken).ConfigureAwait(false);
                    bareTimes?.Add(Stopwatch.GetElapsedTime(started));
                    ThrowUnlessToolCall(answer);
                    if (!journalFirst)
                    {
                        await JournaledAsync(journal, journaledTimes).ConfigureAwait(false);
                    }

                    done++;
                }

            }

            return done;
        }

        async Task JournaledAsync(StepJournal journal, Latencies? times)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = await journal.CallModelAsync(model, messages, null, cancellationToken).ConfigureAwait(false);
            times?.Add(Stopwatch.GetElapsedTime(started));
            ThrowUnlessToolCall(answer);
        }
    }

    private static async Task<List<RunLease>> ClaimAsync(AgentStateServices services, int count)
    {
        var leases = new List<RunLease>(count);
        for (var i = 0; i < count; i++)
        {
            var runId = RunIds.NewRunId();
            await RunOnce.CreateAsync(services, runId).ConfigureAwait(false);
            var entry = await RunOnce.ReadOneAsync(services, "bench").ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Run {runId} was not in the queue.");
            leases.Add((await services.Leases.ClaimAsync(entry, "bench").ConfigureAwait(false)).Lease
                ?? throw new InvalidOperationException($"Run {runId} was not claimed."));
        }

        return leases;
    }

    private static void ThrowUnlessToolCall(ChatResponse answer)
    {
        if (!answer.Messages.SelectMany(message => message.Contents).OfType<FunctionCallContent>().Any())
        {
            throw new InvalidOperationException("The model's answer lost its tool call.");
        }
    }
}
