using System.Text.Json.Nodes;

namespace AgentAspire.Template.Tests;

/// <summary>The manifest check itself: it passes a manifest azd accepts and names every rule a bad one breaks.</summary>
public sealed class AzdManifestRulesTests
{
    private static readonly string[] External = ["api", "logviewer"];

    [Fact]
    public void A_manifest_with_secrets_only_in_environment_variables_and_secret_parameters_passes()
    {
        var manifest = JsonNode.Parse("""
            {
              "resources": {
                "valkey": {
                  "type": "container.v0",
                  "connectionString": "{valkey.bindings.tcp.host}:{valkey.bindings.tcp.port},password={valkey-password.value}",
                  "entrypoint": "/bin/sh",
                  "args": [ "-c", "exec valkey-server --requirepass \"$VALKEY_PASSWORD\"" ],
                  "env": { "VALKEY_PASSWORD": "{valkey-password.value}" },
                  "bindings": { "tcp": { "scheme": "tcp", "targetPort": 6379 } }
                },
                "api": {
                  "type": "project.v0",
                  "env": { "ConnectionStrings__valkey": "{valkey.connectionString}", "AgentApi__ApiKey": "{api-key.value}" },
                  "bindings": { "http": { "scheme": "http", "external": true } }
                },
                "worker": { "type": "project.v1", "env": { "ConnectionStrings__valkey": "{valkey.connectionString}" } },
                "valkey-password": { "type": "parameter.v0", "value": "{valkey-password.inputs.value}", "inputs": { "value": { "type": "string", "secret": true } } },
                "api-key": { "type": "parameter.v0", "value": "{api-key.inputs.value}", "inputs": { "value": { "type": "string", "secret": true } } }
              }
            }
            """)!;

        Assert.Empty(AzdManifestRules.Violations(manifest, External));
    }

    [Fact]
    public void Each_rule_azd_applies_is_reported()
    {
        var manifest = JsonNode.Parse("""
            {
              "resources": {
                "valkey": {
                  "type": "container.v0",
                  "connectionString": "{valkey.bindings.tcp.host}:{valkey.bindings.tcp.port},password={valkey-password.value}",
                  "args": [ "--requirepass", "{valkey-password.value}" ]
                },
                "api": { "type": "project.v0", "args": [ "--valkey", "{valkey.connectionString}" ] },
                "logviewer": { "type": "project.v0", "env": { "Dashboard__Url": "http://localhost:15080", "Other": "http://127.0.0.1:5000" } },
                "worker": { "type": "project.v0", "bindings": { "http": { "external": true } } },
                "cache": { "type": "redis.v0" },
                "valkey-password": { "type": "parameter.v0", "inputs": { "value": { "type": "string" } } },
                "logviewer-access-key": { "type": "parameter.v0", "inputs": { "value": { "type": "string", "secret": false } } }
              }
            }
            """)!;

        var violations = AzdManifestRules.Violations(manifest, External);

        Assert.Contains(violations, v => v.StartsWith("valkey: argument 1 holds {valkey-password.value}", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("api: argument 1 holds {valkey.connectionString}", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("logviewer: Dashboard__Url=", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("logviewer: Other=", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("worker: binding 'http' is external", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("cache: type 'redis.v0'", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("valkey-password: a secret parameter", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("logviewer-access-key: a secret parameter", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("valkey-password: a connection string's password", StringComparison.Ordinal));
    }
}
