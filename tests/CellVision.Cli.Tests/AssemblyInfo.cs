// The commands seed libtorch's process-wide random generator (the demo's and the detector's network initialisation), so
// commands running side by side in this process would draw from each other's sequence; the demo's scores are only
// reproducible when the tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
