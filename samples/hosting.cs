#:property PublishAot=false
#:project ../src/CellVision.Hosting/CellVision.Hosting.csproj

// CellVision sample: services.AddCellVision(...) in a plain ServiceCollection, with a minimal console logger written
// below. Every service logs what it does, how many and how long; the sample prints the results.
// Run from the repository root: dotnet run samples/hosting.cs [output folder]
using System.Globalization;
using CellVision.Core.Annotations;
using CellVision.Core.Synthetic;
using CellVision.Detection;
using CellVision.Hosting;
using CellVision.Torch;
using CellVision.IO.Ctc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var keep = args.Length > 0;
var folder = keep ? Path.GetFullPath(args[0]) : Path.Combine(Path.GetTempPath(), $"cellvision-hosting-{Environment.ProcessId}");
Directory.CreateDirectory(folder);

// 1. Register CellVision: every setting starts at its reference default; change only what this data needs.
using var services = new ServiceCollection()
    .AddLogging(logging => logging.AddProvider(new MinimalConsoleLoggerProvider()).SetMinimumLevel(LogLevel.Information))
    .AddCellVision(o =>
    {
        o.DetectionTraining = o.DetectionTraining with { Epochs = 5, CropsPerTimepoint = 4, CropSize = (8, 32, 32), Seed = 1 };
        o.Labels = o.Labels with { AutoBackgroundThreshold = 0.2 };    // dark voxels teach the network what background is
        o.SpotExtraction = o.SpotExtraction with { MinimumRadius = 2.0 };
        o.Linking = o.Linking with { DistanceThreshold = 5.0 };
    })
    .BuildServiceProvider();

var movies = services.GetRequiredService<IMovieStore>();
var clahe = services.GetRequiredService<IClaheService>();
var detector = services.GetRequiredService<INucleusDetector>();
var linker = services.GetRequiredService<ITrackLinker>();
var ctc = services.GetRequiredService<ICtcService>();

// 2. A synthetic movie with its truth, written as Zarr and read back through the movie store.
using var synthetic = SyntheticTimeLapse.Generate(new SyntheticTimeLapseOptions { Timepoints = 4, Depth = 12, Height = 64, Width = 64, InitialNuclei = 8, Seed = 5 });
movies.Write(Path.Combine(folder, "movie.zarr"), synthetic.Images);
using var movie = movies.Read(Path.Combine(folder, "movie.zarr"));

// 3. CLAHE of the first frame (kept in memory here).
using (var equalised = clahe.Equalize(movie[0]))
{
    Console.WriteLine($"=> CLAHE: {equalised.Depth}×{equalised.Height}×{equalised.Width} voxels, clip limit {clahe.Options.ClipLimit}");
}

// 4. Annotate the nuclei of the first frame as a person would (tagged true positive), train, save, detect every frame.
var annotations = new LineageGraph();
foreach (var nucleus in synthetic.Truth.SpotsAt(0))
{
    annotations.AddSpot(0, nucleus.X, nucleus.Y, nucleus.Z, nucleus.Covariance).DetectionTag = DetectionTag.TruePositive;
}

TorchRuntime.ManualSeed(1);
var training = detector.Train(movie, annotations);
detector.SaveWeights(Path.Combine(folder, "detector.pth"));
var detected = new LineageGraph();
var detection = detector.Detect(movie, detected);
Console.WriteLine($"=> training: loss {training.EpochLosses[0]:F3} → {training.EpochLosses[^1]:F3} in {training.Elapsed.TotalSeconds:F1} s; detection: {detection.Nuclei} nuclei (truth: {synthetic.Truth.SpotCount})");

// 5. Link the detected nuclei, export truth and result as CTC folders, and score.
var linking = linker.LinkAll(detected);
var export = new CtcExportOptions { VoxelSize = movie.VoxelSize, Shape = movie.Shape, LastFrame = movie.Count - 1 };
ctc.Export(synthetic.Truth, Path.Combine(folder, "01_GT", "TRA"), export with { Kind = CtcFolderKind.GroundTruth });
ctc.Export(detected, Path.Combine(folder, "01_RES"), export);
var scores = ctc.Evaluate(Path.Combine(folder, "01_GT"), Path.Combine(folder, "01_RES")).Scores;
Console.WriteLine($"=> linking: {linking.LinksAdded} links; CTC scores: TRA {scores.Tra:F4}, DET {scores.Det:F4}, LNK {scores.Lnk:F4}");

if (keep)
{
    Console.WriteLine($"=> files kept in {folder}");
}
else
{
    Directory.Delete(folder, recursive: true);
}

/// <summary>A minimal console logger: level, category (last name part) and message, one line each; exceptions below.</summary>
sealed class MinimalConsoleLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose()
    {
    }

    private sealed class Logger(string category) : ILogger
    {
        private static readonly Lock Gate = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = logLevel switch
            {
                LogLevel.Trace => "trce", LogLevel.Debug => "dbug", LogLevel.Information => "info",
                LogLevel.Warning => "warn", LogLevel.Error => "fail", _ => "crit",
            };
            lock (Gate)
            {
                Console.WriteLine($"{level} {category}: {formatter(state, exception)}");
                if (exception is not null)
                {
                    Console.WriteLine($"     {exception.GetType().Name}: {exception.Message}");
                }
            }
        }
    }
}
