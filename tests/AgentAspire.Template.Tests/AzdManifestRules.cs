using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentAspire.Template.Tests;

/// <summary>
/// The rules the Azure Developer CLI applies when it turns an Aspire manifest into a deployment, for the resource
/// types this app emits. azd itself cannot run here; a manifest that breaks none of these still meets Azure's own
/// checks (quotas, names, regions) only on Azure.
/// </summary>
public static partial class AzdManifestRules
{
    /// <summary>The resource types azd deploys that this app uses.</summary>
    public static readonly IReadOnlySet<string> SupportedTypes =
        new HashSet<string>(StringComparer.Ordinal) { "project.v0", "project.v1", "container.v0", "container.v1", "parameter.v0", "value.v0" };

    /// <summary>Every rule a manifest breaks, one line each; empty when azd would accept it.</summary>
    /// <param name="manifest">The manifest as <c>--publisher manifest</c> writes it.</param>
    /// <param name="externalServices">The only resources that may have an external (public) endpoint.</param>
    public static List<string> Violations(JsonNode manifest, IReadOnlyCollection<string> externalServices)
    {
        var violations = new List<string>();
        var resources = manifest["resources"]?.AsObject() ?? throw new ArgumentException("The manifest has no resources.", nameof(manifest));
        // Secured: marked secret, named like a secret, or the password of a connection string.
        var text = manifest.ToJsonString();
        var secretParameters = resources
            .Where(r => (string?)r.Value?["type"] == "parameter.v0" && (IsSecret(r.Value!) || LooksSecret(r.Key)))
            .Select(r => r.Key)
            .Concat(PasswordReference().Matches(text).Select(m => m.Groups["resource"].Value))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var (name, resource) in resources)
        {
            var type = (string?)resource?["type"];
            if (type is null || !SupportedTypes.Contains(type))
            {
                violations.Add($"{name}: type '{type}' is not one azd deploys");
            }

            // azd: "argument N cannot contain connection strings, secured parameters, or secret outputs".
            var args = resource?["args"]?.AsArray().Select(a => (string?)a ?? "").ToList() ?? [];
            for (var i = 0; i < args.Count; i++)
            {
                foreach (Match reference in Reference().Matches(args[i]))
                {
                    var (target, property) = (reference.Groups["resource"].Value, reference.Groups["property"].Value);
                    if (property == "connectionString" || property.StartsWith("secretOutputs", StringComparison.Ordinal)
                        || (property == "value" && secretParameters.Contains(target)))
                    {
                        violations.Add($"{name}: argument {i} holds {reference.Value}; pass it in an environment variable");
                    }
                }

                if (args[i].Contains("password=", StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add($"{name}: argument {i} holds a password");
                }
            }

            foreach (var (variable, value) in resource?["env"]?.AsObject() ?? [])
            {
                if (Loopback().IsMatch((string?)value ?? ""))
                {
                    violations.Add($"{name}: {variable}={value} names a local address that means nothing in Azure");
                }
            }

            foreach (var (binding, endpoint) in resource?["bindings"]?.AsObject() ?? [])
            {
                if ((bool?)endpoint?["external"] == true && !externalServices.Contains(name))
                {
                    violations.Add($"{name}: binding '{binding}' is external; only {string.Join(" and ", externalServices)} may be");
                }
            }

            if (type == "parameter.v0" && LooksSecret(name) && !IsSecret(resource!))
            {
                violations.Add($"{name}: a secret parameter must be marked \"secret\": true");
            }
        }

        // A parameter a connection string takes its password from is a secret whatever its name.
        foreach (var parameter in PasswordReference().Matches(text).Select(m => m.Groups["resource"].Value).Distinct())
        {
            if (resources[parameter] is not { } resource || !IsSecret(resource))
            {
                violations.Add($"{parameter}: a connection string's password, so it must be a parameter marked \"secret\": true");
            }
        }

        return violations;
    }

    private static bool IsSecret(JsonNode parameter) => (bool?)parameter["inputs"]?["value"]?["secret"] == true;

    private static bool LooksSecret(string name) => SecretName().IsMatch(name);

    // {resource.property...} as the manifest writes references.
    [GeneratedRegex(@"\{(?<resource>[A-Za-z0-9_-]+)\.(?<property>[A-Za-z0-9_.]+)\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"password=\{(?<resource>[A-Za-z0-9_-]+)\.value\}", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordReference();

    [GeneratedRegex(@"(?i)localhost|\b127\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|\[::1\]")]
    private static partial Regex Loopback();

    [GeneratedRegex(@"(?i)(password|secret|key|token)")]
    private static partial Regex SecretName();
}
