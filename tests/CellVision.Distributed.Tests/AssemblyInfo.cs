// The Slurm tests share one two-node cluster (one of them takes a node down), and every test starts worker processes
// on a machine with few cores: they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
