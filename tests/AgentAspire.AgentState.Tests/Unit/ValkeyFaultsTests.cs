using AgentAspire.AgentState;
using StackExchange.Redis;

namespace AgentAspire.AgentState.Tests.Unit;

public sealed class ValkeyFaultsTests
{
    public static TheoryData<string, bool> ServerReplies => new()
    {
        { "LOADING Valkey is loading the dataset in memory", true },
        { "READONLY You can't write against a read only replica.", true },
        { "TRYAGAIN Multiple keys request during rehashing of slot", true },
        { "CLUSTERDOWN The cluster is down", true },
        { "MASTERDOWN Link with MASTER is down", true },
        { "BUSY Valkey is busy running a script.", true },
        { "OOM command not allowed when used memory > 'maxmemory'.", true },
        { "NOSCRIPT No matching script.", false },
        { "WRONGTYPE Operation against a key holding the wrong kind of value", false },
        { "ERR wrong number of arguments", false },
        { "BUSYGROUP Consumer Group name already exists", false },
        { "LOADINGX not a real reply", false },
    };

    [Theory]
    [MemberData(nameof(ServerReplies))]
    public void Server_replies_that_mean_try_again_later_are_infrastructure_faults(string reply, bool expected)
    {
        Assert.Equal(expected, ValkeyFaults.IsInfrastructure(new RedisServerException(reply)));
    }

    [Fact]
    public void Connection_loss_and_timeouts_are_infrastructure_faults_even_when_wrapped()
    {
        var connection = new RedisConnectionException(ConnectionFailureType.SocketClosed, "socket closed");
        var timeout = new RedisTimeoutException("Timeout performing EVALSHA", CommandStatus.Sent);

        Assert.True(ValkeyFaults.IsInfrastructure(connection));
        Assert.True(ValkeyFaults.IsInfrastructure(timeout));
        Assert.True(ValkeyFaults.IsInfrastructure(new InvalidOperationException("wrapped", timeout)));
        Assert.True(ValkeyFaults.IsInfrastructure(new AggregateException(new ArgumentException("x"), connection)));
    }

    [Fact]
    public void A_command_cancelled_by_a_dropped_connection_is_an_infrastructure_fault_and_a_cancel_asked_for_is_not()
    {
        using var asked = new CancellationTokenSource();
        asked.Cancel();

        Assert.True(ValkeyFaults.IsInfrastructure(new TaskCanceledException()));
        Assert.True(ValkeyFaults.IsInfrastructure(new AggregateException(new TaskCanceledException())));
        Assert.False(ValkeyFaults.IsInfrastructure(new TaskCanceledException("stopped", null, asked.Token)));
    }

    [Fact]
    public void Errors_of_the_caller_are_not_infrastructure_faults()
    {
        Assert.False(ValkeyFaults.IsInfrastructure(null));
        Assert.False(ValkeyFaults.IsInfrastructure(new InvalidOperationException("a bug")));
        Assert.False(ValkeyFaults.IsInfrastructure(new RedisCommandException("bad command")));
        Assert.False(ValkeyFaults.IsInfrastructure(new OperationCanceledException()));
    }

    [Fact]
    public void Out_of_memory_is_told_apart()
    {
        Assert.True(ValkeyFaults.IsOutOfMemory(new RedisServerException("OOM command not allowed")));
        Assert.False(ValkeyFaults.IsOutOfMemory(new RedisServerException("LOADING")));
    }
}
