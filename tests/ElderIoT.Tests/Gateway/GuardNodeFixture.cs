using ElderIoT.Tests.Infrastructure;

namespace ElderIoT.Tests.Gateway;

/// <summary>
/// A node with tight connection limits, the interoperability listener on, and the device listener
/// on its default bind address.
/// </summary>
public sealed class GuardNodeFixture : IAsyncLifetime
{
    public const int MaxConnectionsPerAddress = 3;
    public const int MaxConnections = 5;
    public const int FailedLoginsPerClientId = 2;

    public TestNode Node { get; private set; } = null!;

    public int InteropPort { get; } = FreePort.Next();

    public async Task InitializeAsync() => Node = await TestNode.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:Limits:ConnectTimeout"] = "00:00:01",
        ["Gateway:Limits:MaxConnectionsPerAddress"] = MaxConnectionsPerAddress.ToString(),
        ["Gateway:Limits:MaxConnections"] = MaxConnections.ToString(),
        ["Gateway:Limits:FailedLoginsPerClientId"] = FailedLoginsPerClientId.ToString(),
        ["Gateway:Limits:FailedLoginsPerAddress"] = "1000",
        ["Gateway:Limits:FailedLoginDelay"] = "00:00:00.050",
        ["Gateway:Limits:MaxFailedLoginDelay"] = "00:00:00.200",
        // One burst per limit for the node's whole life: a test can count first-of-burst lines exactly.
        ["Gateway:Limits:LogInterval"] = "01:00:00",
        ["Gateway:Interop:Enabled"] = "true",
        ["Gateway:Interop:Port"] = InteropPort.ToString(),
    });

    public Task DisposeAsync() => Node.DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class GuardNodeCollection : ICollectionFixture<GuardNodeFixture>
{
    public const string Name = "guard-node";
}
