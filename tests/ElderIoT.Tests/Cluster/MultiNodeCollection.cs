namespace ElderIoT.Tests.Cluster;

/// <summary>
/// Tests that start several real nodes. They run alone, after the others: three nodes and HAProxy on
/// two shared cores are slow enough without the rest of the suite beside them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiNodeCollection
{
    public const string Name = "multi-node";
}
