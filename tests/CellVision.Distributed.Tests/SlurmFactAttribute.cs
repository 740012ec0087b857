namespace CellVision.Distributed.Tests;

/// <summary>
/// A test that needs a real Slurm cluster with nodes n1 and n2: it is reported as skipped, with the reason, when
/// <c>CELLVISION_TEST_SLURM</c> is not 1 (test.sh sets it after scripts/slurm-test-cluster.sh up, with SLURM_CONF).
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (!TestCluster.Available)
        {
            Skip = $"{TestCluster.Variable} is not 1: no Slurm cluster to test against (test.sh starts one with scripts/slurm-test-cluster.sh).";
        }
    }
}
