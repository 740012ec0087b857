// Tests count live native tensors process-wide, so they must not run in parallel.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
