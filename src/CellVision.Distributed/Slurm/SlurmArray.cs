namespace CellVision.Distributed.Slurm;

/// <summary>One job array to submit: every element runs <see cref="Script"/> for plan task <see cref="Offset"/> + its index.</summary>
/// <param name="Name">The job name.</param>
/// <param name="Indices">The array specification, e.g. <c>0-3,7</c>.</param>
/// <param name="Offset">The plan task of array index 0 (exported as <c>CELLVISION_TASK_OFFSET</c>).</param>
/// <param name="ScriptPath">The batch script on the shared filesystem.</param>
/// <param name="Script">The batch script's text.</param>
/// <param name="OutputPattern">Where each element's output goes, with Slurm's <c>%A</c> and <c>%a</c>.</param>
/// <param name="WorkingDirectory">The folder the elements start in.</param>
internal sealed record SlurmArray(string Name, string Indices, int Offset, string ScriptPath, string Script, string OutputPattern, string WorkingDirectory);
