namespace CellVision.Torch.Optimizers;

/// <summary>Gradient clipping, as <c>torch.nn.utils.clip_grad_value_</c> and <c>clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>Clamps every gradient element to [−<paramref name="clipValue"/>, <paramref name="clipValue"/>] in place.</summary>
    /// <param name="parameters">Parameters whose gradients to clip.</param>
    /// <param name="clipValue">The bound (positive).</param>
    public static void ClipByValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(clipValue);
        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.NoGrad();
        foreach (var parameter in parameters)
        {
            parameter.Grad?.ClampInPlace(-clipValue, clipValue);
        }
    }

    /// <summary>Scales all gradients together so that their joint norm is at most <paramref name="maxNorm"/>.</summary>
    /// <param name="parameters">Parameters whose gradients to clip.</param>
    /// <param name="maxNorm">The largest allowed norm.</param>
    /// <param name="normType">Order of the norm (default 2).</param>
    /// <returns>The joint norm before clipping.</returns>
    public static double ClipByNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = DisposeScope.Enter();
        using var noGrad = GradientMode.NoGrad();
        var gradients = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        if (gradients.Count == 0)
        {
            return 0;
        }

        var norms = gradients.Select(g => g.Detach().Norm(normType)).ToList();
        var totalNorm = Tensor.Stack(norms).Norm(normType);
        var coefficient = (maxNorm / (totalNorm + 1e-6)).ClampInPlace(max: 1.0);
        foreach (var gradient in gradients)
        {
            using var scaled = gradient.Detach().Multiply(coefficient);
            gradient.CopyFrom(scaled);
        }

        return totalNorm.ToScalar();
    }
}
