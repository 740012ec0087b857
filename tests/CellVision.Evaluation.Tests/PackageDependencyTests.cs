using CellVision.IO.Ctc;

namespace CellVision.Evaluation.Tests;

/// <summary>Scoring with the CTC measures needs neither libtorch nor a model library.</summary>
public sealed class PackageDependencyTests
{
    [Fact]
    public void The_ctc_measures_and_files_reference_no_torch_or_model_assembly()
    {
        foreach (var assembly in new[] { typeof(CtcEvaluator).Assembly, typeof(CtcExporter).Assembly })
        {
            var references = assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
            Assert.DoesNotContain("CellVision.Torch", references);
            Assert.DoesNotContain("CellVision.Networks", references);
            Assert.DoesNotContain("CellVision.Detection", references);
            Assert.DoesNotContain("CellVision.Tracking", references);
        }
    }
}
