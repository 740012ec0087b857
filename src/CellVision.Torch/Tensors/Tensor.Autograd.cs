using CellVision.Torch.Native;

namespace CellVision.Torch;

public sealed partial class Tensor
{
    /// <summary>Whether autograd records operations on this tensor so that <see cref="Backward"/> fills its <see cref="Grad"/>.</summary>
    public bool RequiresGrad
    {
        get
        {
            NativeStatus.Check(NativeMethods.cvt_requires_grad(Handle, out var value));
            return value != 0;
        }

        set => NativeStatus.Check(NativeMethods.cvt_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>
    /// The accumulated gradient, or null before the first <see cref="Backward"/>. Each read returns a new reference
    /// to the same gradient storage.
    /// </summary>
    public Tensor? Grad => ResultOrNull(NativeMethods.cvt_grad(Handle, out var r), r);

    /// <summary>Computes gradients of this tensor with respect to every leaf that requires them, adding into their <see cref="Grad"/>.</summary>
    /// <param name="gradient">Gradient of the final objective with respect to this tensor; null for a scalar (meaning 1).</param>
    /// <param name="retainGraph">Keep the graph for another backward pass.</param>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        NativeStatus.Check(NativeMethods.cvt_backward(Handle, HandleOf(gradient), retainGraph ? 1 : 0));

    /// <summary>Removes the accumulated gradient (as <c>param.grad = None</c>).</summary>
    public void ClearGrad() => NativeStatus.Check(NativeMethods.cvt_clear_grad(Handle));
}
