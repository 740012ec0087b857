namespace CellVision.Distributed.Tests;

/// <summary>
/// A test that needs the test cluster's slurmrestd: it is reported as skipped, with the reason, when
/// <c>CELLVISION_TEST_SLURMREST_URL</c> or <c>CELLVISION_TEST_SLURMREST_TOKEN</c> is not set (scripts/slurm-test-cluster.sh up writes both
/// into its env file when slurmrestd starts).
/// </summary>
public sealed class SlurmRestFactAttribute : FactAttribute
{
    public SlurmRestFactAttribute()
    {
        if (!TestCluster.Available || TestCluster.RestUrl is null || TestCluster.RestToken is null)
        {
            Skip = $"{TestCluster.Variable} is not 1, or {TestCluster.RestVariable} or {TestCluster.RestTokenVariable} is not set: no slurmrestd to test against (scripts/slurm-test-cluster.sh up starts one when it can).";
        }
    }
}
