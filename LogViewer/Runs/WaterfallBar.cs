using System.Globalization;

namespace AgentAspire.LogViewer.Runs;

/// <summary>One bar of a run's waterfall (<see cref="RunWaterfall"/>): a step, a model turn or a tool call.</summary>
/// <param name="Kind">One of <see cref="WaterfallBarKinds"/>.</param>
/// <param name="Step">The step it belongs to.</param>
/// <param name="Label">What it is: the step's name, the model and turn, the tool.</param>
/// <param name="Offset">From the start of the waterfall to the bar's start.</param>
/// <param name="Duration">How long it took, from the log; zero for a call answered from the journal.</param>
/// <param name="Left">Where the bar starts, in percent of the waterfall's width.</param>
/// <param name="Width">How wide the bar is, in percent; never less than <see cref="RunWaterfall.MinWidth"/>, so an instant shows.</param>
/// <param name="Meta">Its duration, tokens, cache hit and replay, in one line.</param>
/// <param name="Tokens">Input and output tokens of a model turn, or of a step's model turns; null where no model was called.</param>
/// <param name="CacheHit">A tool call the cache answered.</param>
/// <param name="Replayed">A call the run's journal answered (an earlier attempt paid for it).</param>
/// <param name="Turn">The call's place in its step's journal, for calls of a model loop.</param>
public sealed record WaterfallBar(
    string Kind, int Step, string Label, TimeSpan Offset, TimeSpan Duration, double Left, double Width, string Meta,
    long? Tokens = null, bool CacheHit = false, bool Replayed = false, int? Turn = null)
{
    /// <summary><see cref="Left"/> as a CSS length.</summary>
    public string LeftCss => Left.ToString("0.###", CultureInfo.InvariantCulture) + "%";

    /// <summary><see cref="Width"/> as a CSS length.</summary>
    public string WidthCss => Width.ToString("0.###", CultureInfo.InvariantCulture) + "%";
}

/// <summary>What a waterfall bar stands for.</summary>
public static class WaterfallBarKinds
{
    /// <summary>A step, from its start to its commit (or to the latest entry while it runs).</summary>
    public const string Step = "step";

    /// <summary>A model turn: a <c>model_call</c> entry.</summary>
    public const string Model = "model";

    /// <summary>A tool call: a <c>tool_call</c> entry.</summary>
    public const string Tool = "tool";
}
