using CellVision.Torch;
using CellVision.Torch.Modules;

namespace CellVision.Networks;

/// <summary><c>nn.Identity</c>: it holds a slot in a <see cref="Sequential"/> so that later indices match PyTorch's.</summary>
internal sealed class PassThrough : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Alias();
    }
}
