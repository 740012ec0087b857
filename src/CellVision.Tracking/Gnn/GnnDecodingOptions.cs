namespace CellVision.Tracking;

/// <summary>How <see cref="GnnTrackDecoder"/> turns edge probabilities into tracks.</summary>
public sealed record GnnDecodingOptions
{
    /// <summary>The decoder (default <see cref="GnnDecoder.Global"/>; <see cref="GnnDecoder.Reference"/> reproduces cell-tracker-gnn).</summary>
    public GnnDecoder Decoder { get; init; } = GnnDecoder.Global;

    /// <summary>Settings of the global decoder (ignored by the reference decoder).</summary>
    public GlobalDecoderOptions Global { get; init; } = new();

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Decoder))
        {
            throw new ArgumentOutOfRangeException(nameof(Decoder), Decoder, "Unknown decoder.");
        }

        ArgumentNullException.ThrowIfNull(Global, nameof(Global));
        Global.Validate();
    }
}
