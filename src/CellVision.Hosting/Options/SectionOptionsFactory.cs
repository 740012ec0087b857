using Microsoft.Extensions.Options;

namespace CellVision.Hosting.Options;

/// <summary>
/// Builds one section of <see cref="CellVisionOptions"/> (an immutable record such as
/// <see cref="Tracking.NearestNeighborLinkingOptions"/>) for <see cref="IOptions{TOptions}"/>,
/// <see cref="IOptionsSnapshot{TOptions}"/> and <see cref="IOptionsMonitor{TOptions}"/>: the section is taken from the
/// validated <see cref="CellVisionOptions"/> of the same name, so it is the very instance the host configured.
/// </summary>
/// <typeparam name="TSection">The section's type.</typeparam>
/// <param name="root">The configured (and validated) CellVision options.</param>
/// <param name="select">Picks the section.</param>
internal sealed class SectionOptionsFactory<TSection>(IOptionsMonitor<CellVisionOptions> root, Func<CellVisionOptions, TSection?> select) : IOptionsFactory<TSection>
    where TSection : class
{
    public TSection Create(string name) =>
        select(root.Get(name)) ?? throw new OptionsValidationException(name, typeof(TSection), [$"The {typeof(TSection).Name} section of CellVisionOptions is null."]);
}
