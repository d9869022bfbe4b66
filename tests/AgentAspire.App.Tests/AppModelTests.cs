namespace AgentAspire.App.Tests;

public class AppModelTests
{
    private static readonly string[] ServicesWithState =
    [
        "api", "worker",
//#if (IncludeLogViewer)
        "logviewer",
//#endif
    ];

    private static readonly string[] ExternalServices =
    [
        "api",
//#if (IncludeLogViewer)
        "logviewer",
//#endif
    ];

    [Fact]
    public async Task Local_mode_runs_valkey_server_on_loopback_with_password_and_append_only_file()
    {
        await using var builder = await AppModel.BuildAsync("--Valkey:Mode=local");

        var valkey = builder.Resource<ValkeyProcessResource>("valkey");
        var args = await ArgumentsOf(valkey);

        Assert.EndsWith("valkey-server", Path.GetFileNameWithoutExtension(valkey.Command));
        Assert.Equal("127.0.0.1", After(args, "--bind"));
        Assert.Equal("yes", After(args, "--appendonly"));
        Assert.Equal(valkey.DataDirectory, After(args, "--dir"));
        Assert.Equal("", After(args, "--save"));
        var endpoint = Assert.Single(valkey.Annotations.OfType<EndpointAnnotation>());
        Assert.False(endpoint.IsProxied);
    }

    [Fact]
    public async Task Local_mode_hands_the_password_over_in_a_configuration_file_never_in_an_argument()
    {
        await using var builder = await AppModel.BuildAsync("--Valkey:Mode=local");

        var valkey = builder.Resource<ValkeyProcessResource>("valkey");
        var args = await ArgumentsOf(valkey);

        // valkey-server reads a configuration file named as its first argument; the password file is written at start.
        Assert.Equal(Path.Combine(valkey.DataDirectory, "valkey-password.conf"), args[0]);
        Assert.DoesNotContain(args, a => a is ParameterResource or ReferenceExpression);
        Assert.DoesNotContain("--requirepass", args);
        Assert.True(valkey.PasswordParameter.Secret);
    }

    [Fact]
    public async Task Container_mode_runs_the_valkey_image_with_its_password_in_an_environment_variable()
    {
        await using var builder = await AppModel.BuildAsync("--Valkey:Mode=container");

        var valkey = builder.Resource<ValkeyResource>("valkey");
        var image = Assert.Single(valkey.Annotations.OfType<ContainerImageAnnotation>());
        var args = await ArgumentsOf(valkey);
        var environment = await EnvironmentOf(valkey);

        Assert.Equal(("docker.io", "valkey/valkey", "8"), (image.Registry, image.Image, image.Tag));
        Assert.Equal("/bin/sh", valkey.Entrypoint);
        Assert.Equal("-c", args[0]);
        var command = Assert.IsType<string>(args[1]);
        Assert.StartsWith("exec valkey-server --requirepass \"$VALKEY_PASSWORD\"", command);
        Assert.Contains("--appendonly yes", command);
        Assert.Equal(2, args.Count);
        Assert.Equal(valkey.PasswordParameter, environment["VALKEY_PASSWORD"]);
        Assert.True(valkey.PasswordParameter.Secret);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("container")]
    public async Task Memory_limit_and_flush_policy_default_to_512mb_noeviction_and_everysec(string mode)
    {
        await using var builder = await AppModel.BuildAsync($"--Valkey:Mode={mode}");

        var arguments = await ServerArgumentsOf(builder);

        Assert.Equal("512mb", After(arguments, "--maxmemory"));
        Assert.Equal("noeviction", After(arguments, "--maxmemory-policy"));
        Assert.Equal("everysec", After(arguments, "--appendfsync"));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("container")]
    public async Task Memory_limit_and_flush_policy_come_from_configuration(string mode)
    {
        await using var builder = await AppModel.BuildAsync($"--Valkey:Mode={mode}", "--Valkey:MaxMemory=2GB", "--Valkey:AppendFsync=always");

        var arguments = await ServerArgumentsOf(builder);

        Assert.Equal("2gb", After(arguments, "--maxmemory"));
        Assert.Equal("noeviction", After(arguments, "--maxmemory-policy"));
        Assert.Equal("always", After(arguments, "--appendfsync"));
    }

    [Theory]
    [InlineData("--Valkey:MaxMemory=lots", "'512mb' or '2gb'")]
    [InlineData("--Valkey:MaxMemory=-1mb", "'512mb' or '2gb'")]
    [InlineData("--Valkey:AppendFsync=sometimes", "'everysec', 'always' or 'no'")]
    public async Task Server_settings_Valkey_would_refuse_fail_with_the_accepted_values(string setting, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppModel.BuildAsync("--Valkey:Mode=local", setting));

        Assert.Contains(message, Innermost(error).Message);
    }

    [Fact]
    public async Task Publishing_describes_valkey_as_a_container_with_a_data_volume_and_a_secret_password()
    {
        // Even a configured local process: it could not be deployed.
        await using var builder = await AppModel.BuildAsync(
            "--publisher", "manifest", "--output-path", Path.Combine(Path.GetTempPath(), "agentaspire-manifest.json"),
            "--Valkey:Mode=local");

        var valkey = builder.Resource<ValkeyResource>("valkey");
        var volume = Assert.Single(valkey.Annotations.OfType<ContainerMountAnnotation>());
        var connectionString = valkey.ConnectionStringExpression.ValueExpression;

        Assert.True(builder.ExecutionContext.IsPublishMode);
        Assert.Equal(("/data", ContainerMountType.Volume), (volume.Target, volume.Type));
        Assert.True(valkey.PasswordParameter.Secret);
        Assert.Equal("{valkey.bindings.tcp.host}:{valkey.bindings.tcp.port},password={valkey-password.value}", connectionString);
    }

    [Fact]
    public async Task Auto_mode_runs_a_local_process_when_no_container_runtime_answers()
    {
        // Any existing file stands in for valkey-server: the app model only records its path.
        await using var builder = await AppModel.BuildAsync(
            "--ASPIRE_CONTAINER_RUNTIME=no-such-runtime", $"--Valkey:ServerPath={typeof(AppModelTests).Assembly.Location}");

        Assert.IsType<ValkeyProcessResource>(Assert.Single(builder.Resources, r => r.Name == "valkey"));
    }

    [Fact]
    public async Task Auto_mode_without_runtime_or_server_says_how_to_get_either()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "valkey-server");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppModel.BuildAsync(
            "--ASPIRE_CONTAINER_RUNTIME=no-such-runtime", $"--Valkey:ServerPath={missing}"));

        Assert.Contains("eng/setup.sh", Innermost(error).Message);
        Assert.Contains("Docker or Podman", Innermost(error).Message);
    }

    [Fact]
    public async Task Unknown_mode_fails_with_the_accepted_values()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppModel.BuildAsync("--Valkey:Mode=cloud"));

        Assert.Contains("'auto', 'container' or 'local'", Innermost(error).Message);
    }

    [Fact]
    public async Task Services_reference_valkey_and_wait_for_it()
    {
        await using var builder = await AppModel.BuildAsync("--Valkey:Mode=local");

        foreach (var name in ServicesWithState)
        {
            var project = builder.Resource<ProjectResource>(name);
            var environment = await EnvironmentOf(project);

            Assert.Contains("ConnectionStrings__valkey", environment.Keys);
            Assert.Contains(project.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "valkey");
        }
    }

//#if (IncludeLogViewer)
    [Fact]
    public async Task Logviewer_references_the_api_and_waits_for_it()
    {
        await using var builder = await AppModel.BuildAsync("--Valkey:Mode=local");

        var logviewer = builder.Resource<ProjectResource>("logviewer");
        var environment = await EnvironmentOf(logviewer);

        Assert.Contains("services__api__http__0", environment.Keys);
        Assert.Contains(logviewer.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "api");
    }

    [Fact]
    public async Task Logviewer_links_to_the_dashboard_when_running_but_the_manifest_carries_no_local_address()
    {
        const string dashboard = "--ASPNETCORE_URLS=http://localhost:15080";
        await using var running = await AppModel.BuildAsync("--Valkey:Mode=local", dashboard);
        await using var publishing = await AppModel.BuildAsync(
            "--publisher", "manifest", "--output-path", Path.Combine(Path.GetTempPath(), "agentaspire-manifest.json"), dashboard);

        var run = await EnvironmentOf(running.Resource<ProjectResource>("logviewer"));
        var publish = await EnvironmentOf(publishing.Resource<ProjectResource>("logviewer"), DistributedApplicationOperation.Publish);

        Assert.Equal("http://localhost:15080", run["Dashboard__Url"]);
        Assert.DoesNotContain("Dashboard__Url", publish.Keys);
    }
//#endif

    [Fact]
    public async Task Api_and_logviewer_are_external_with_a_health_check_and_the_worker_is_not()
    {
        await using var builder = await AppModel.BuildAsync("--Valkey:Mode=local");

        foreach (var name in ExternalServices)
        {
            var project = builder.Resource<ProjectResource>(name);
            Assert.Contains(project.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http" && e.IsExternal);
            Assert.NotEmpty(project.Annotations.OfType<HealthCheckAnnotation>());
        }

        var worker = builder.Resource<ProjectResource>("worker");
        Assert.Empty(worker.Annotations.OfType<EndpointAnnotation>());
    }

    [Fact]
    public async Task Worker_replicas_come_from_configuration()
    {
        await using var builder = await AppModel.BuildAsync("--Valkey:Mode=local", "--Worker:Replicas=3");

        var worker = builder.Resource<ProjectResource>("worker");

        Assert.Equal(3, Assert.Single(worker.Annotations.OfType<ReplicaAnnotation>()).Replicas);
    }

    [Fact]
    public async Task Worker_takes_the_research_tools_from_the_demo_mcp_server_it_waits_for_which_stays_internal()
    {
        await using var builder = await AppModel.BuildAsync("--Valkey:Mode=local");

        var worker = builder.Resource<ProjectResource>("worker");
        var tools = builder.Resource<ProjectResource>("research-tools");
        var endpoint = Assert.IsType<ReferenceExpression>((await EnvironmentOf(worker))["Mcp__Servers__research__Endpoint"]);

        Assert.Equal("{research-tools.bindings.http.url}/mcp", endpoint.ValueExpression);
        Assert.Contains(worker.Annotations.OfType<WaitAnnotation>(), w => w.Resource == tools);
        Assert.DoesNotContain(tools.Annotations.OfType<EndpointAnnotation>(), e => e.IsExternal);
        Assert.NotEmpty(tools.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task A_remote_mcp_server_is_declared_by_its_parameters_with_its_authorization_a_secret()
    {
        await using var without = await AppModel.BuildAsync("--Valkey:Mode=local");
        await using var with = await AppModel.BuildAsync("--Valkey:Mode=local",
            "--Parameters:mcp-docs-endpoint=https://tools.example.com/mcp", "--Parameters:mcp-docs-authorization=Bearer token",
            "--Parameters:mcp-search-endpoint=https://search.example.com/mcp");

        var environment = await EnvironmentOf(with.Resource<ProjectResource>("worker"));

        Assert.DoesNotContain(await EnvironmentOf(without.Resource<ProjectResource>("worker")), variable => variable.Key.StartsWith("Mcp__Servers__", StringComparison.Ordinal) && !variable.Key.StartsWith("Mcp__Servers__research__", StringComparison.Ordinal));
        var docs = Assert.IsType<ParameterResource>(environment["Mcp__Servers__docs__Endpoint"]);
        Assert.Equal(("mcp-docs-endpoint", false), (docs.Name, docs.Secret));
        var authorization = Assert.IsType<ParameterResource>(environment["Mcp__Servers__docs__Headers__Authorization"]);
        Assert.Equal(("mcp-docs-authorization", true), (authorization.Name, authorization.Secret));
        Assert.Equal("mcp-search-endpoint", Assert.IsType<ParameterResource>(environment["Mcp__Servers__search__Endpoint"]).Name);
        Assert.DoesNotContain("Mcp__Servers__search__Headers__Authorization", environment.Keys);
    }

    [Fact]
    public async Task Worker_gets_the_llm_connection_string_only_when_it_is_configured()
    {
        await using var without = await AppModel.BuildAsync("--Valkey:Mode=local");
        await using var with = await AppModel.BuildAsync("--Valkey:Mode=local", "--ConnectionStrings:llm=Endpoint=http://localhost:11434");

        Assert.DoesNotContain("ConnectionStrings__llm", (await EnvironmentOf(without.Resource<ProjectResource>("worker"))).Keys);
        Assert.Contains("ConnectionStrings__llm", (await EnvironmentOf(with.Resource<ProjectResource>("worker"))).Keys);
    }

    [Fact]
    public async Task Cluster_topology_makes_six_cluster_enabled_nodes_under_one_valkey_resource_the_services_wait_for()
    {
        await using var builder = await AppModel.BuildAsync("--Valkey:Topology=cluster", "--Valkey:ClusterReplicas=1");

        var cluster = builder.Resource<ValkeyClusterResource>("valkey");
        var nodes = builder.Resources.OfType<ValkeyClusterNodeResource>().ToList();

        Assert.Equal(6, nodes.Count);
        Assert.Equal(nodes, cluster.Nodes);
        Assert.Equal(1, cluster.ReplicasPerPrimary);
        foreach (var node in nodes)
        {
            var arguments = (await ArgumentsOf(node)).Select(argument => argument.ToString()).ToList();
            Assert.Equal("yes", arguments[arguments.IndexOf("--cluster-enabled") + 1]);
            // The password comes in a configuration file, never in an argument anyone can read in the process list.
            Assert.Equal(Path.Combine(node.DataDirectory, "valkey-password.conf"), arguments[0]);
            Assert.DoesNotContain(arguments, argument => argument is "--requirepass" or "--masterauth");
            Assert.Contains("--cluster-port", arguments);
            Assert.Same(cluster, node.Parent);
            Assert.Equal(2, node.Annotations.OfType<EndpointAnnotation>().Count());
        }

        // The connection string names every node, then the password.
        var format = cluster.ConnectionStringExpression.Format;
        Assert.Equal(6, format.Split(',').Count(part => part.StartsWith('{')));
        Assert.EndsWith("password={6}", format, StringComparison.Ordinal);
        foreach (var service in ServicesWithState)
        {
            var waits = builder.Resource<ProjectResource>(service).Annotations.OfType<WaitAnnotation>();
            Assert.Contains(waits, wait => wait.Resource == cluster);
        }
    }

    [Fact]
    public async Task An_unknown_topology_is_refused_with_the_setting_named()
    {
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => AppModel.BuildAsync("--Valkey:Topology=ring"));

        Assert.Contains("Valkey:Topology", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_in_container_mode_is_refused_with_both_settings_named()
    {
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => AppModel.BuildAsync("--Valkey:Topology=cluster", "--Valkey:Mode=container"));

        Assert.Contains("Valkey:Topology=cluster", error.Message, StringComparison.Ordinal);
        Assert.Contains("Valkey:Mode=container", error.Message, StringComparison.Ordinal);
    }

    private static async Task<IList<object>> ArgumentsOf(IResourceWithArgs resource)
    {
        var context = new CommandLineArgsCallbackContext([], resource, TestContext.Current.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.Args;
    }

    // The options valkey-server runs with, in either mode: the container's arrive as one shell command.
    private static async Task<IList<object>> ServerArgumentsOf(IDistributedApplicationTestingBuilder builder)
    {
        var valkey = Assert.Single(builder.Resources.OfType<IResourceWithArgs>(), r => r.Name == "valkey");
        var args = await ArgumentsOf(valkey);
        return valkey is ContainerResource ? [.. ((string)args[1]).Split(' ')] : args;
    }

    private static async Task<Dictionary<string, object>> EnvironmentOf(IResourceWithEnvironment resource,
        DistributedApplicationOperation operation = DistributedApplicationOperation.Run)
    {
        var executionContext = new DistributedApplicationExecutionContext(operation);
        var context = new EnvironmentCallbackContext(executionContext, resource, cancellationToken: TestContext.Current.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables;
    }

    private static object? After(IList<object> args, string flag) => args[args.IndexOf(flag) + 1];

    private static Exception Innermost(Exception error) => error.InnerException is { } inner ? Innermost(inner) : error;
}
