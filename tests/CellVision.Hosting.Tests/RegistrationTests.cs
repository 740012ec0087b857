using CellVision.Core.Annotations;
using CellVision.Detection;
using CellVision.Segmentation;
using CellVision.Evaluation;
using CellVision.Tracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CellVision.Hosting.Tests;

public class RegistrationTests
{
    [Fact]
    public void Every_service_resolves_to_its_sealed_implementation_as_a_singleton()
    {
        using var host = new TestHost();
        (Type Service, Type Implementation)[] expected =
        [
            (typeof(IMovieStore), typeof(MovieStore)),
            (typeof(INucleusDetector), typeof(NucleusDetector)),
            (typeof(ITrackLinker), typeof(TrackLinker)),
            (typeof(IClaheService), typeof(ClaheService)),
            (typeof(ICtcService), typeof(CtcService)),
            (typeof(ISegmentationEvaluationService), typeof(SegmentationEvaluationService)),
        ];
        foreach (var (service, implementation) in expected)
        {
            var instance = host.Services.GetRequiredService(service);
            Assert.IsType(implementation, instance);
            Assert.True(implementation.IsSealed, $"{implementation.Name} should be sealed");
            Assert.Same(instance, host.Services.GetRequiredService(service));
        }
    }

    [Fact]
    public void Every_option_resolves_with_the_reference_defaults()
    {
        using var host = new TestHost();
        Assert.Equal(new PredictionOptions(), host.Get<IOptions<PredictionOptions>>().Value);
        Assert.Equal(new SpotExtractionOptions(), host.Get<IOptions<SpotExtractionOptions>>().Value);
        Assert.Equal(new DetectionTrainingOptions(), host.Get<IOptions<DetectionTrainingOptions>>().Value);
        Assert.Equal(new LabelOptions(), host.Get<IOptions<LabelOptions>>().Value);
        Assert.Equal(new NearestNeighborLinkingOptions(), host.Get<IOptions<NearestNeighborLinkingOptions>>().Value);
        Assert.Equal(new ClaheOptions(), host.Get<IOptions<ClaheOptions>>().Value);
        Assert.Equal(new CtcEvaluationOptions(), host.Get<IOptions<CtcEvaluationOptions>>().Value);
        Assert.Equal(new SegmentationEvaluationOptions(), host.Get<IOptions<SegmentationEvaluationOptions>>().Value);

        // A few of the reference values themselves (ELEPHANT's client, scikit-image, the CTC).
        Assert.Equal((24, 384, 384), host.Get<IOptions<PredictionOptions>>().Value.PatchSize);
        Assert.Equal(0.5, host.Get<IOptions<SpotExtractionOptions>>().Value.ProbabilityThreshold);
        Assert.Equal(10, host.Get<IOptions<DetectionTrainingOptions>>().Value.Epochs);
        Assert.Equal(5.0, host.Get<IOptions<NearestNeighborLinkingOptions>>().Value.DistanceThreshold);
        Assert.Equal(0.01, host.Get<IOptions<ClaheOptions>>().Value.ClipLimit);
        Assert.Same(AogmWeights.Ctc, host.Get<IOptions<CtcEvaluationOptions>>().Value.Weights);
        Assert.Equal([0L], host.Get<IOptions<SegmentationEvaluationOptions>>().Value.AdaptedRandIgnoredLabels);
    }

    [Fact]
    public void Configured_sections_are_the_instances_the_services_use_through_every_options_interface()
    {
        using var host = new TestHost(o =>
        {
            o.Linking = o.Linking with { DistanceThreshold = 2.5, MaxEdges = 1 };
            o.Clahe = o.Clahe with { ClipLimit = 0.03 };
            o.SpotExtraction = o.SpotExtraction with { ProbabilityThreshold = 0.7 };
            o.DetectionTraining = o.DetectionTraining with { Epochs = 3 };
            o.CtcEvaluation = o.CtcEvaluation with { Segmentation = false };
        });

        var linking = host.Get<IOptions<NearestNeighborLinkingOptions>>().Value;
        Assert.Equal(2.5, linking.DistanceThreshold);
        Assert.Equal(1, linking.MaxEdges);
        Assert.Equal(linking, host.Get<IOptions<CellVisionOptions>>().Value.Linking);
        Assert.Same(linking, host.Get<IOptionsMonitor<NearestNeighborLinkingOptions>>().CurrentValue);
        using (var scope = host.Services.CreateScope())
        {
            Assert.Equal(linking, scope.ServiceProvider.GetRequiredService<IOptionsSnapshot<NearestNeighborLinkingOptions>>().Value);
        }

        Assert.Same(linking, host.Get<ITrackLinker>().Options);
        Assert.Equal(0.03, host.Get<IClaheService>().Options.ClipLimit);
        Assert.Equal(0.7, ((NucleusDetector)host.Get<INucleusDetector>()).Options.SpotExtraction.ProbabilityThreshold);
        Assert.Equal(3, ((NucleusDetector)host.Get<INucleusDetector>()).Options.Training.Epochs);
        Assert.False(host.Get<ICtcService>().EvaluationOptions.Segmentation);
    }

    [Theory]
    [InlineData(5.0, 1)]
    [InlineData(2.0, 0)]
    public void The_linking_threshold_configured_in_AddCellVision_decides_the_links(double threshold, int expectedLinks)
    {
        using var host = new TestHost(o => o.Linking = o.Linking with { DistanceThreshold = threshold });

        // Two nuclei 3 µm apart in consecutive timepoints: linked within 5 µm, not within 2 µm.
        var graph = new LineageGraph();
        graph.AddSpot(0, 10, 10, 10, 2.0);
        graph.AddSpot(1, 13, 10, 10, 2.0);
        var result = host.Get<ITrackLinker>().LinkAll(graph);

        Assert.Equal(expectedLinks, result.LinksAdded);
        Assert.Equal(expectedLinks, graph.LinkCount);
    }

    [Fact]
    public void Invalid_settings_fail_when_first_resolved_with_every_problem_listed()
    {
        using var host = new TestHost(o =>
        {
            o.Linking = o.Linking with { DistanceThreshold = -1 };
            o.Clahe = o.Clahe with { ClipLimit = 2 };
            o.Prediction = null!;
            o.SegmentationEvaluation = o.SegmentationEvaluation with { AdaptedRandIgnoredLabels = null! };
        });

        var exception = Assert.Throws<OptionsValidationException>(() => host.Get<ITrackLinker>());
        Assert.Contains(exception.Failures, f => f.Contains("Linking.DistanceThreshold", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.Contains("Clahe.ClipLimit", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.Contains("Prediction must not be null", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.Contains("SegmentationEvaluation.AdaptedRandIgnoredLabels", StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => host.Get<IOptions<ClaheOptions>>().Value);
    }

    [Fact]
    public void A_host_implementation_registered_first_is_kept_and_a_second_call_adds_nothing_twice()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITrackLinker, RecordingLinker>();
        services.AddCellVision(o => o.Clahe = o.Clahe with { ClipLimit = 0.02 });
        services.AddCellVision(o => o.Clahe = o.Clahe with { LuminanceLevels = 128 });
        using var provider = services.BuildServiceProvider();

        Assert.IsType<RecordingLinker>(provider.GetRequiredService<ITrackLinker>());
        Assert.Single(services, d => d.ServiceType == typeof(IMovieStore));
        Assert.Single(services, d => d.ServiceType == typeof(IOptionsFactory<ClaheOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<CellVisionOptions>));
        var clahe = provider.GetRequiredService<IClaheService>().Options;
        Assert.Equal(0.02, clahe.ClipLimit);
        Assert.Equal(128, clahe.LuminanceLevels);
    }

    [Fact]
    public void A_motion_estimator_in_the_container_reaches_the_linker()
    {
        var services = new ServiceCollection().AddCellVision();
        var estimator = new ShiftingEstimator(dx: -10);
        services.AddSingleton<ISpotMotionEstimator>(estimator);
        using var provider = services.BuildServiceProvider();

        // The nucleus moved 10 µm: too far for the 5 µm threshold, unless the estimator says where it came from.
        var graph = new LineageGraph();
        graph.AddSpot(0, 10, 10, 10, 2.0);
        graph.AddSpot(1, 20, 10, 10, 2.0);
        Assert.Equal(1, provider.GetRequiredService<ITrackLinker>().LinkAll(graph).LinksAdded);
        Assert.True(estimator.Calls > 0);
    }

    private sealed class RecordingLinker : ITrackLinker
    {
        public NearestNeighborLinkingOptions Options { get; } = new();

        public LinkingResult LinkAll(LineageGraph graph, IProgress<LinkingProgress>? progress = null, CancellationToken cancellationToken = default) => default;

        public LinkingResult LinkTimepoints(LineageGraph graph, int first, int last, IProgress<LinkingProgress>? progress = null, CancellationToken cancellationToken = default) => default;
    }

    private sealed class ShiftingEstimator(double dx) : ISpotMotionEstimator
    {
        public int Calls { get; private set; }

        public IReadOnlyList<MotionEstimate> EstimatePrevious(int timepoint, IReadOnlyList<Spot> spots, CancellationToken cancellationToken = default)
        {
            Calls++;
            return spots.Select(s => new MotionEstimate(s.X + dx, s.Y, s.Z, dx * dx)).ToArray();
        }
    }
}
