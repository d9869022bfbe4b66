using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace AgentAspire.AgentState.Runs;

/// <summary>An opaque listing cursor: the score and id of the last run of a page.</summary>
internal readonly record struct RunCursor(double Score, string RunId)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Score.ToString("R", CultureInfo.InvariantCulture)}:{RunId}"));

    public static bool TryDecode(string? text, out RunCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 200)
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            var separator = decoded.IndexOf(':');
            if (separator > 0
                && double.TryParse(decoded.AsSpan(0, separator), NumberStyles.Float, CultureInfo.InvariantCulture, out var score)
                && double.IsFinite(score)
                && RunIds.IsValid(decoded[(separator + 1)..]))
            {
                cursor = new RunCursor(score, decoded[(separator + 1)..]);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
