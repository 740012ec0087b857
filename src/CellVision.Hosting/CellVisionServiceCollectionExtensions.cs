using CellVision.Detection;
using CellVision.Hosting;
using CellVision.Hosting.Options;
using CellVision.Segmentation;
using CellVision.Evaluation;
using CellVision.Tracking;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CellVision's options and services in a dependency-injection container.</summary>
public static class CellVisionServiceCollectionExtensions
{
    /// <summary>
    /// Adds CellVision: <see cref="CellVisionOptions"/> and each of its sections as <see cref="IOptions{TOptions}"/>
    /// (<see cref="PredictionOptions"/>, <see cref="SpotExtractionOptions"/>, <see cref="DetectionTrainingOptions"/>,
    /// <see cref="LabelOptions"/>, <see cref="SuppressionOptions"/>, <see cref="NearestNeighborLinkingOptions"/>, <see cref="ClaheOptions"/>,
    /// <see cref="CtcEvaluationOptions"/>, <see cref="SegmentationEvaluationOptions"/>, <see cref="GnnTrackerOptions"/>), validated when first built, and the singleton
    /// services <see cref="IMovieStore"/>, <see cref="INucleusDetector"/>, <see cref="ITrackLinker"/>,
    /// <see cref="IClaheService"/>, <see cref="ICtcService"/>, <see cref="ISegmentationEvaluationService"/>, <see cref="IGnnTracking"/>, <see cref="IFloodFillSegmentation"/> and <see cref="ISemanticSegmentation"/>, which log every operation through <see cref="Logging.ILogger{TCategoryName}"/>.
    /// Logging and options are added too (a host adds its own logger providers).
    /// </summary>
    /// <remarks>
    /// Services are added with TryAdd: an implementation the host registered before stays. Calling this more than once
    /// adds each configuration action in turn and nothing else. An <see cref="ISpotMotionEstimator"/> in the container
    /// (for example optical flow) is used by the linker.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the defaults, e.g. <c>o =&gt; o.Linking = o.Linking with { DistanceThreshold = 3 }</c>; null keeps them.</param>
    /// <returns>The same collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddCellVision(this IServiceCollection services, Action<CellVisionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.AddOptions();
        var options = services.AddOptions<CellVisionOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CellVisionOptions>, CellVisionOptionsValidator>());
        AddSection(services, o => o.Prediction);
        AddSection(services, o => o.SpotExtraction);
        AddSection(services, o => o.DetectionTraining);
        AddSection(services, o => o.Labels);
        AddSection(services, o => o.Suppression);
        AddSection(services, o => o.Linking);
        AddSection(services, o => o.Clahe);
        AddSection(services, o => o.CtcEvaluation);
        AddSection(services, o => o.SegmentationEvaluation);
        AddSection(services, o => o.GnnTracking);
        AddSection(services, o => o.FloodFillInference);
        AddSection(services, o => o.SemanticPrediction);
        AddSection(services, o => o.SemanticTraining);

        services.TryAddSingleton<IMovieStore, MovieStore>();
        services.TryAddSingleton<INucleusDetector>(provider => new NucleusDetector(
            new NucleusDetectorOptions
            {
                Prediction = provider.GetRequiredService<IOptions<PredictionOptions>>().Value,
                SpotExtraction = provider.GetRequiredService<IOptions<SpotExtractionOptions>>().Value,
                Training = provider.GetRequiredService<IOptions<DetectionTrainingOptions>>().Value,
                Labels = provider.GetRequiredService<IOptions<LabelOptions>>().Value,
                Suppression = provider.GetRequiredService<IOptions<SuppressionOptions>>().Value,
            },
            provider.GetRequiredService<ILogger<NucleusDetector>>()));
        services.TryAddSingleton<ITrackLinker, TrackLinker>();
        services.TryAddSingleton<IClaheService, ClaheService>();
        services.TryAddSingleton<ICtcService, CtcService>();
        services.TryAddSingleton<ISegmentationEvaluationService, SegmentationEvaluationService>();
        services.TryAddSingleton<IGnnTracking, GnnTracking>();
        services.TryAddSingleton<IFloodFillSegmentation, FloodFillSegmentation>();
        services.TryAddSingleton<ISemanticSegmentation, SemanticSegmentation>();
        return services;
    }

    private static void AddSection<TSection>(IServiceCollection services, Func<CellVisionOptions, TSection?> select)
        where TSection : class =>
        services.TryAddSingleton<IOptionsFactory<TSection>>(provider =>
            new SectionOptionsFactory<TSection>(provider.GetRequiredService<IOptionsMonitor<CellVisionOptions>>(), select));
}
