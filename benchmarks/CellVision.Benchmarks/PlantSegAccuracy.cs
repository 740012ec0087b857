using System.Diagnostics;
using System.Globalization;
using CellVision.Core.Annotations;
using CellVision.Core.Geometry;
using CellVision.Core.Volumes;
using CellVision.Detection;
using CellVision.IO.Tiff;
using CellVision.Networks;
using CellVision.Torch.Serialization;
using CellVision.Torch;

namespace CellVision.Benchmarks;

/// <summary>
/// Sparse-annotation accuracy on real nuclei (PlantSeg ovule crop, 54 labelled nuclei): annotate a few nuclei as
/// ellipsoids from their instance masks (true nuclei) plus automatic background, train the detection U-Net from
/// scratch, predict the whole volume, and match predicted centres to instances (a centre inside an unmatched instance
/// is a true positive). Training and detection go through <see cref="NucleusDetector"/>, as users run them. Prints precision, recall and F1, then diagnostics: the peak centre probability per instance,
/// the instances cut by the crop's faces, scores over the instances holding at least a fraction of the median nucleus
/// (slivers whose centre lies outside the crop cannot hold a detected centre), and scores at lower thresholds.
/// The options are listed by <c>plantseg-accuracy --help</c> (<see cref="Commands.PlantSegAccuracyCommand"/>).
/// </summary>
internal static class PlantSegAccuracy
{
    internal static int Run(PlantSegAccuracySettings settings)
    {
        var folder = settings.Data;
        var annotated = settings.Nuclei;
        var epochs = settings.Epochs;
        var crops = settings.Crops;
        var crop = settings.Crop;
        var minimumRadius = settings.MinimumRadius;
        TorchRuntime.ThreadCount = settings.Threads;
        TorchRuntime.ManualSeed((ulong)settings.Seed);

        var voxel = new VoxelSize(0.12678642, 0.12678642, 0.28371837);
        using var raw = TiffFile.Open(Path.Combine(folder, "1135_mini_raw_zyx.tif")).ReadStack<byte>();
        using var instances = TiffFile.Open(Path.Combine(folder, "1135_mini_label_zyx_uint16.tif")).ReadStack<ushort>();
        // The detector takes raw uint16 frames and normalises them itself; the 8-bit intensities widen losslessly.
        using var movieFrame = new Volume<ushort>(raw.Depth, raw.Height, raw.Width, voxel);
        for (var i = 0; i < raw.Length; i++)
        {
            movieFrame.Span[i] = raw.Span[i];
        }

        // Normalised as the detector normalises, for the background threshold and the diagnostics.
        using var frame = Normalization.MinMaxToUnit(movieFrame);
        var moments = InstanceMoments(instances, voxel);
        Console.WriteLine($"{moments.Count} instances");
        // "all": any instance may be annotated; "large": only instances holding at least the median instance's voxels, as a
        // user picks nuclei that are fully in view (most instances of this crop are cut by its faces, some to slivers).
        var pick = settings.Pick;
        var medianSize = moments.Values.Select(m => m.Size).Order().ElementAt(moments.Count / 2);
        var chosen = moments.Where(m => pick == "all" || m.Value.Size >= medianSize).OrderBy(m => m.Key * 7919 % 104729).Take(annotated).ToArray();
        Console.WriteLine($"annotated instances ({pick}): {string.Join(' ', chosen.Select(c => $"{c.Key}:{c.Value.Size}"))}");
        var annotations = new LineageGraph();
        foreach (var (_, m) in chosen)
        {
            annotations.AddSpot(0, m.Centre[2], m.Centre[1], m.Centre[0], Covariance3.FromRowMajor(m.Covariance)).DetectionTag = DetectionTag.TruePositive;
        }

        var sorted = frame.Span.ToArray();
        Array.Sort(sorted);
        var background = Normalization.Percentile(sorted, settings.BackgroundPercentile);
        var patch = settings.Patch;
        var options = new NucleusDetectorOptions
        {
            Prediction = new PredictionOptions { PatchSize = (patch[0], patch[1], patch[2]), MitigateEdgeDiscontinuities = settings.Pad, AverageOverFlips = settings.Flips },
            SpotExtraction = new SpotExtractionOptions { MinimumRadius = minimumRadius },
            Training = new DetectionTrainingOptions
            {
                CropSize = (crop[0], crop[1], crop[2]), CropsPerTimepoint = crops, Epochs = epochs, Seed = settings.Seed,
                LearningRate = settings.LearningRate,
                ScaleAugmentation = settings.Scale,
                RotationAugmentation = settings.Rotation,
                ContrastAugmentation = settings.Contrast,
            },
            Labels = new LabelOptions { AutoBackgroundThreshold = background },
        };

        // The detector paints these labels itself when it trains; this copy is for the count printed and the probe.
        using var labels = LabelGenerator.Generate((frame.Depth, frame.Height, frame.Width), voxel, annotations.TrainingAnnotations(0), options.Labels, frame);
        Console.WriteLine(FormattableString.Invariant($"labels: {labels.Span.ToArray().Count(v => v > 0)} labelled voxels, background below {background:F3}"));
        var keepAxials = KeepAxials.FromVoxelSize(voxel);
        var scratch = Directory.CreateTempSubdirectory("cellvision-plantseg-");
        var clock = Stopwatch.StartNew();
        var load = settings.Load ?? string.Empty;
        var save = settings.Save ?? string.Empty;
        NucleusDetector? detector = null;
        IReadOnlyList<DetectionUNet> networks = [];
        try
        {
            // The detector's weights, also read by the diagnostics below (a list of state dicts for an ensemble).
            var weightsFile = Path.Combine(scratch.FullName, "weights.pth");
            if (load.Length > 0)
            {
                // Several comma-separated files make an ensemble whose probabilities are averaged: their state dicts go
                // into one list-of-state-dicts file, which the detector loads as an ensemble.
                var paths = load.Split(',');
                if (paths.Length == 1)
                {
                    weightsFile = paths[0];
                }
                else
                {
                    var stateDicts = paths.SelectMany(PthFile.LoadStateDicts).ToList();
                    try
                    {
                        PthFile.Save(weightsFile, stateDicts);
                    }
                    finally
                    {
                        stateDicts.ForEach(w => w.Dispose());
                    }
                }

                detector = NucleusDetector.Load(weightsFile, options);
                Console.WriteLine($"{detector.EnsembleSize} model(s) loaded from {load}; no training");
            }
            else
            {
                var trained = detector = new NucleusDetector(options);
                if (settings.Init is { } initial)
                {
                    trained.LoadWeights(initial);
                    Console.WriteLine($"training continues from {initial}");
                }

                var priorCrops = settings.Prior;
                if (priorCrops > 0)
                {
                    // NucleusDetector has no prior training and does not hand out its network: the prior trains a copy of
                    // the detector's starting weights (seeded initialisation or --init), which then go back into it.
                    trained.SaveWeights(weightsFile);
                    var copies = DetectionUNet.LoadEnsemble(weightsFile);
                    try
                    {
                        var losses = DetectionPrior.Train(copies[0], keepAxials, [frame], new PriorTrainingOptions { Crops = priorCrops, CropSize = (crop[0], crop[1], crop[2]), Seed = 0 });
                        using (var weights = copies[0].StateDict())
                        {
                            PthFile.Save(weightsFile, weights);
                        }

                        trained.LoadWeights(weightsFile);
                        Console.WriteLine(FormattableString.Invariant($"prior: {priorCrops} crops per learning rate, last loss {losses[^1]:F4} at {clock.Elapsed.TotalSeconds:F0} s"));
                    }
                    finally
                    {
                        foreach (var copy in copies)
                        {
                            copy.Dispose();
                        }
                    }
                }

                trained.ModelUpdated += (_, e) =>
                {
                    Console.WriteLine(FormattableString.Invariant($"epoch {e.Epoch} loss {e.MeanLoss:F4} at {clock.Elapsed.TotalSeconds:F0} s"));
                    if (save.Length > 0)
                    {
                        trained.SaveWeights(save.Replace("{epoch}", e.Epoch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
                    }
                };
                trained.Train([movieFrame], annotations);
            }

            var trainSeconds = clock.Elapsed.TotalSeconds;
            if (load.Length == 0)
            {
                detector.SaveWeights(weightsFile);
            }

            // The probe and the diagnostics read the networks' probabilities, which NucleusDetector does not expose:
            // they run on copies of its weights, outside the timings; the scores come from the detector itself.
            networks = DetectionUNet.LoadEnsemble(weightsFile);
            if (settings.Probe)
            {
                Probe(networks[0], keepAxials, frame, labels, instances, moments, chosen.Select(c => c.Key).ToArray(), crop);
            }

            clock.Restart();
            var detected = detector.DetectFrame(movieFrame);
            var predictSeconds = clock.Elapsed.TotalSeconds;
            using (var probabilities = new DetectionPredictor(networks, keepAxials).Predict(frame, options.Prediction))
            {
                Diagnose(probabilities.Centre, instances, voxel, minimumRadius, chosen.Select(c => c.Key).ToHashSet());
            }

            var (truePositives, _) = Match(detected, instances, voxel);
            var precision = detected.Count == 0 ? 0 : truePositives / (double)detected.Count;
            var recall = truePositives / (double)moments.Count;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            Console.WriteLine(FormattableString.Invariant($"cellvision_plantseg annotated={annotated} instances={moments.Count} {(load.Length > 0 ? $"weights={load}" : $"epochs={epochs}")} crops={crops} crop={string.Join(',', crop)} train_s={trainSeconds:F1} predict_s={predictSeconds:F1} detected={detected.Count} tp={truePositives} precision={precision:F3} recall={recall:F3} f1={f1:F3}"));
            return 0;
        }
        finally
        {
            foreach (var network in networks)
            {
                network.Dispose();
            }

            detector?.Dispose();
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Where recall is lost: the highest centre probability inside each instance (annotated and not), and precision,
    /// recall and F1 at lower thresholds than the default 0.5 (diagnostic only; the headline uses the default).
    /// </summary>
    private static void Diagnose(Volume<float> centre, Volume<ushort> instances, VoxelSize voxel, double minimumRadius, HashSet<int> annotated)
    {
        var peak = new Dictionary<int, float>();
        for (var i = 0; i < instances.Length; i++)
        {
            int id = instances.Span[i];
            if (id != 0)
            {
                peak[id] = Math.Max(peak.GetValueOrDefault(id), centre.Span[i]);
            }
        }

        foreach (var (name, ids) in new[] { ("annotated", peak.Keys.Where(annotated.Contains).ToArray()), ("others", peak.Keys.Where(k => !annotated.Contains(k)).ToArray()) })
        {
            var peaks = ids.Select(k => peak[k]).Order().ToArray();
            Console.WriteLine(FormattableString.Invariant($"peak centre probability, {name} ({peaks.Length}): >0.5 {peaks.Count(p => p > 0.5)}, >0.3 {peaks.Count(p => p > 0.3)}, >0.1 {peaks.Count(p => p > 0.1)}; median {(peaks.Length == 0 ? 0 : peaks[peaks.Length / 2]):F3}"));
        }

        // Size and border contact of the instances, and of those whose peak stays at or below 0.5.
        var size = new Dictionary<int, int>();
        var border = new HashSet<int>();
        ForEachInstanceVoxel(instances, (id, z, y, x) =>
        {
            size[id] = size.GetValueOrDefault(id) + 1;
            if (z == 0 || y == 0 || x == 0 || z == instances.Depth - 1 || y == instances.Height - 1 || x == instances.Width - 1)
            {
                border.Add(id);
            }
        });

        var sizes = size.Values.Order().ToArray();
        var missed = peak.Where(p => p.Value <= 0.5).Select(p => p.Key).ToArray();
        Console.WriteLine(FormattableString.Invariant($"instances: median {sizes[sizes.Length / 2]} voxels, {border.Count} touch the volume's faces; peak <= 0.5 in {missed.Length}: {missed.Count(border.Contains)} touch a face, sizes {string.Join(' ', missed.Select(k => size[k]).Order())}"));

        // Most instances are cut by the crop's faces and some are slivers whose centre lies outside the volume: scores at
        // the default threshold over the instances holding at least a fraction of the median nucleus's voxels, ignoring
        // detections that fall in the smaller pieces (they are neither hits nor false detections there).
        var defaultSpots = SpotExtractor.Extract(centre, voxel, new SpotExtractionOptions { MinimumRadius = minimumRadius });
        foreach (var fraction in new[] { 0.0, 0.1, 0.25, 0.5 })
        {
            var kept = size.Where(p => p.Value >= fraction * sizes[sizes.Length / 2]).Select(p => p.Key).ToHashSet();
            var (_, matched) = Match(defaultSpots, instances, voxel);
            var hits = matched.Count(kept.Contains);
            var ignored = matched.Count(k => !kept.Contains(k));
            var precision = defaultSpots.Count - ignored == 0 ? 0 : hits / (double)(defaultSpots.Count - ignored);
            var recall = hits / (double)kept.Count;
            Console.WriteLine(FormattableString.Invariant($"instances >= {fraction:F2} x median size: {kept.Count}, hits {hits}, precision {precision:F3} recall {recall:F3} f1 {(precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)):F3}"));
        }

        foreach (var threshold in new[] { 0.5, 0.4, 0.3, 0.2 })
        {
            var spots = SpotExtractor.Extract(centre, voxel, new SpotExtractionOptions { MinimumRadius = minimumRadius, ProbabilityThreshold = threshold });
            var (hits, _) = Match(spots, instances, voxel);
            var precision = spots.Count == 0 ? 0 : hits / (double)spots.Count;
            var recall = hits / (double)peak.Count;
            Console.WriteLine(FormattableString.Invariant($"threshold {threshold:F1}: detected {spots.Count} hits {hits} precision {precision:F3} recall {recall:F3} f1 {(precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)):F3}"));
        }
    }

    /// <summary>
    /// Whether the network reproduces its training targets: for each annotated nucleus, a crop of the training size
    /// centred on it goes through the network as in training (no padding) and as in prediction (replicate padding);
    /// prints the mean centre probability over the nucleus's centre-labelled voxels and the peak inside the instance.
    /// </summary>
    private static void Probe(DetectionUNet model, bool[] keepAxials, Volume<float> frame, Volume<byte> labels, Volume<ushort> instances, Dictionary<int, (double[] Centre, double[] Covariance, int Size)> moments, int[] annotated, int[] crop)
    {
        model.Eval();
        using var inference = GradientMode.InferenceMode();
        foreach (var id in annotated)
        {
            var c = moments[id].Centre;
            var voxel = frame.VoxelSize;
            int[] centre = [(int)Math.Round(c[0] / voxel.Z), (int)Math.Round(c[1] / voxel.Y), (int)Math.Round(c[2] / voxel.X)];
            int[] size = [frame.Depth, frame.Height, frame.Width];
            var origin = Enumerable.Range(0, 3).Select(d => Math.Clamp(centre[d] - (crop[d] / 2), 0, size[d] - crop[d])).ToArray();
            var length = crop[0] * crop[1] * crop[2];
            var input = new float[length];
            var target = new byte[length];
            var owner = new ushort[length];
            var i = 0;
            for (var z = 0; z < crop[0]; z++)
            {
                for (var y = 0; y < crop[1]; y++)
                {
                    for (var x = 0; x < crop[2]; x++, i++)
                    {
                        input[i] = frame[origin[0] + z, origin[1] + y, origin[2] + x];
                        target[i] = labels[origin[0] + z, origin[1] + y, origin[2] + x];
                        owner[i] = instances[origin[0] + z, origin[1] + y, origin[2] + x];
                    }
                }
            }

            var line = new List<string>();
            foreach (var pad in new[] { false, true })
            {
                using var scope = DisposeScope.Enter();
                var output = model.Forward(Tensor.FromSpan<float>(input, [1, 1, crop[0], crop[1], crop[2]]), keepAxials, pad).Exp().ToArray<float>();
                double sum = 0;
                var count = 0;
                var peak = 0f;
                for (var v = 0; v < length; v++)
                {
                    var p = output[(2 * length) + v];
                    if (owner[v] == id)
                    {
                        peak = Math.Max(peak, p);
                        if (target[v] == 3)
                        {
                            sum += p;
                            count++;
                        }
                    }
                }

                line.Add(FormattableString.Invariant($"{(pad ? "padded" : "as trained")}: centre-labelled {count} mean {(count == 0 ? 0 : sum / count):F3} peak {peak:F3}"));
            }

            Console.WriteLine($"probe instance {id}: {string.Join("; ", line)}");
        }
    }

    /// <summary>Counts detections whose centre lies inside a not yet matched instance.</summary>
    private static (int Hits, HashSet<int> Matched) Match(IReadOnlyList<DetectedSpot> detected, Volume<ushort> instances, VoxelSize voxel)
    {
        var matched = new HashSet<int>();
        var hits = 0;
        foreach (var spot in detected)
        {
            var (z, y, x) = ((int)Math.Round(spot.Z / voxel.Z), (int)Math.Round(spot.Y / voxel.Y), (int)Math.Round(spot.X / voxel.X));
            if (z >= 0 && y >= 0 && x >= 0 && z < instances.Depth && y < instances.Height && x < instances.Width && instances[z, y, x] != 0 && matched.Add(instances[z, y, x]))
            {
                hits++;
            }
        }

        return (hits, matched);
    }

    /// <summary>Centre (Z, Y, X physical), voxel count and the annotation covariance (X, Y, Z; 5 × the second moments, the squared radii of a solid ellipsoid) of each instance.</summary>
    private static Dictionary<int, (double[] Centre, double[] Covariance, int Size)> InstanceMoments(Volume<ushort> instances, VoxelSize voxel)
    {
        var sums = new Dictionary<int, double[]>();
        ForEachInstanceVoxel(instances, (id, z, y, x) =>
        {
            if (!sums.TryGetValue(id, out var s))
            {
                sums[id] = s = new double[10];
            }

            double[] p = [x * voxel.X, y * voxel.Y, z * voxel.Z];
            s[0]++;
            for (var i = 0; i < 3; i++)
            {
                s[1 + i] += p[i];
            }

            s[4] += p[0] * p[0];
            s[5] += p[0] * p[1];
            s[6] += p[0] * p[2];
            s[7] += p[1] * p[1];
            s[8] += p[1] * p[2];
            s[9] += p[2] * p[2];
        });

        var result = new Dictionary<int, (double[], double[], int)>();
        foreach (var (id, s) in sums)
        {
            var n = s[0];
            var m = new[] { s[1] / n, s[2] / n, s[3] / n };
            double C(int k, int a, int b) => 5 * ((s[k] / n) - (m[a] * m[b]));
            var xx = C(4, 0, 0);
            var xy = C(5, 0, 1);
            var xz = C(6, 0, 2);
            var yy = C(7, 1, 1);
            var yz = C(8, 1, 2);
            var zz = C(9, 2, 2);
            result[id] = ([m[2], m[1], m[0]], [xx, xy, xz, xy, yy, yz, xz, yz, zz], (int)n);
        }

        return result;
    }

    /// <summary>Calls <paramref name="visit"/> with the instance id and position of every labelled voxel.</summary>
    private static void ForEachInstanceVoxel(Volume<ushort> instances, Action<int, int, int, int> visit)
    {
        for (var z = 0; z < instances.Depth; z++)
        {
            for (var y = 0; y < instances.Height; y++)
            {
                for (var x = 0; x < instances.Width; x++)
                {
                    int id = instances[z, y, x];
                    if (id != 0)
                    {
                        visit(id, z, y, x);
                    }
                }
            }
        }
    }
}
