using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using CellVision.Core.Diagnostics;
using CellVision.Core.Volumes;
using CellVision.IO.Movies;
using CellVision.Segmentation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CellVision.Hosting;

/// <summary>
/// <see cref="IClaheService"/> over <see cref="Clahe"/>. Logs each volume (shape, kernel, clip limit, bins, input and
/// output range, milliseconds), warns about volumes holding a single value (their result is constant) and about
/// kernels larger than half a dimension (little adaptivity left), and logs failures as errors.
/// </summary>
public sealed partial class ClaheService : IClaheService
{
    private readonly ILogger<ClaheService> logger;

    /// <summary>Creates the service.</summary>
    /// <param name="options">The CLAHE settings.</param>
    /// <param name="logger">Receives the operations.</param>
    public ClaheService(IOptions<ClaheOptions> options, ILogger<ClaheService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        Options = options.Value;
        this.logger = logger;
    }

    /// <inheritdoc />
    public ClaheOptions Options { get; }

    /// <inheritdoc />
    public Volume<ushort> Equalize(Volume<ushort> volume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return Run(volume, null, () => Clahe.EqualizeToUInt16(volume, Options, cancellationToken), UInt16Range);
    }

    /// <inheritdoc />
    public Volume<double> EqualizeToUnit(Volume<ushort> volume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return Run(volume, null, () => Clahe.Equalize(volume, Options, cancellationToken), r => (TensorPrimitives.Min<double>(r.Span), TensorPrimitives.Max<double>(r.Span)));
    }

    /// <inheritdoc />
    public Movie EqualizeMovie(IReadOnlyList<Volume<ushort>> frames, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var start = Stopwatch.GetTimestamp();
        Log.EqualizingMovie(logger, frames.Count);
        var results = new List<Volume<ushort>>(frames.Count);
        try
        {
            for (var t = 0; t < frames.Count; t++)
            {
                var frame = frames[t];
                results.Add(Run(frame, t, () => Clahe.EqualizeToUInt16(frame, Options, cancellationToken), UInt16Range));
                progress?.Report(t + 1);
            }

            Log.EqualizedMovie(logger, frames.Count, Describe.Milliseconds(start));
            return new Movie(results);
        }
        catch
        {
            results.ForEach(r => r.Dispose());
            throw;
        }
    }

    private Volume<TResult> Run<TResult>(Volume<ushort> volume, int? timepoint, Func<Volume<TResult>> equalize, Func<Volume<TResult>, (double Min, double Max)> range)
        where TResult : unmanaged
    {
        var start = Stopwatch.GetTimestamp();
        var frame = Describe.Frame(timepoint, "The volume");
        var kernel = Options.KernelSize is { } k ? string.Join("×", k.Select(v => v.ToString(CultureInfo.InvariantCulture))) : "1/8 of each dimension";
        var (min, max) = Describe.Range(volume);
        Log.Equalizing(logger, frame, Describe.Shape(volume), kernel, Options.ClipLimit, Options.LuminanceLevels, min, max);
        try
        {
            if (min == max)
            {
                Log.Constant(logger, frame, min);
            }

            if (Options.KernelSize is { } sizes && LargeKernel(volume, sizes))
            {
                Log.LargeKernel(logger, frame, kernel, Describe.Shape(volume));
            }

            var result = equalize();
            if (logger.IsEnabled(LogLevel.Information))
            {
                // The output range takes a pass over the result, which only the message needs.
                var (low, high) = range(result);
                Log.Equalized(logger, frame, Describe.Shape(volume), low, high, Describe.Milliseconds(start));
            }

            return result;
        }
        catch (OperationCanceledException)
        {
            Log.Cancelled(logger, frame);
            throw;
        }
        catch (Exception exception)
        {
            Log.Failed(logger, exception, frame, Describe.Shape(volume));
            throw;
        }
    }

    private static (double Min, double Max) UInt16Range(Volume<ushort> volume)
    {
        var (min, max) = Describe.Range(volume);
        return (min, max);
    }

    private static bool LargeKernel(Volume<ushort> volume, int[] sizes)
    {
        int[] dims = volume.Depth == 1 ? [volume.Height, volume.Width] : [volume.Depth, volume.Height, volume.Width];
        return sizes.Length == 1 ? dims.Any(d => d > 1 && sizes[0] * 2 > d) : sizes.Zip(dims).Any(p => p.Second > 1 && p.First * 2 > p.Second);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "{Frame}: CLAHE of {Shape} voxels (range {Min}–{Max}), kernel {Kernel}, clip limit {ClipLimit}, {Bins} bins")]
        public static partial void Equalizing(ILogger logger, string frame, string shape, string kernel, double clipLimit, int bins, ushort min, ushort max);

        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "{Frame}: CLAHE of {Shape} voxels done, output range {Min}–{Max}, in {ElapsedMs:F0} ms")]
        public static partial void Equalized(ILogger logger, string frame, string shape, double min, double max, double elapsedMs);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "CLAHE of a movie of {Frames} frame(s)")]
        public static partial void EqualizingMovie(ILogger logger, int frames);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "CLAHE of {Frames} frame(s) done in {ElapsedMs:F0} ms")]
        public static partial void EqualizedMovie(ILogger logger, int frames, double elapsedMs);

        [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "{Frame}: every voxel is {Value}; CLAHE of a constant volume is constant")]
        public static partial void Constant(ILogger logger, string frame, ushort value);

        [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "{Frame}: the kernel {Kernel} covers more than half of the {Shape} volume along some axis; the equalisation is hardly adaptive there")]
        public static partial void LargeKernel(ILogger logger, string frame, string kernel, string shape);

        [LoggerMessage(EventId = 4020, Level = LogLevel.Error, Message = "{Frame}: CLAHE of {Shape} voxels failed")]
        public static partial void Failed(ILogger logger, Exception exception, string frame, string shape);

        [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "{Frame}: CLAHE was cancelled")]
        public static partial void Cancelled(ILogger logger, string frame);
    }
}
