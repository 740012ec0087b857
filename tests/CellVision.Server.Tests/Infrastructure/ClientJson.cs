using System.Globalization;
using System.Text;

namespace CellVision.Server.Tests.Infrastructure;

/// <summary>
/// JSON as the ELEPHANT client's minimal-json writes it: compact, keys in the client's order, and Java's
/// <c>Double.toString</c> with a trailing <c>.0</c> removed, so whole-number doubles arrive as JSON integers.
/// </summary>
internal static class ClientJson
{
    /// <summary>A Java double as minimal-json writes it: 80.0 → 80, 0.001 → 0.001, 1.0E-4 → 1.0E-4.</summary>
    public static string Number(double value)
    {
        var magnitude = Math.Abs(value);
        if (value == Math.Floor(value) && magnitude < 1e7)
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        if (magnitude >= 1e-3 && magnitude < 1e7)
        {
            return value.ToString("R", CultureInfo.InvariantCulture);
        }

        var exponent = (int)Math.Floor(Math.Log10(magnitude));
        var mantissa = (value / Math.Pow(10, exponent)).ToString("R", CultureInfo.InvariantCulture);
        return $"{(mantissa.Contains('.', StringComparison.Ordinal) ? mantissa : mantissa + ".0")}E{exponent}";
    }

    public static string Numbers(IEnumerable<double> values) => "[" + string.Join(",", values.Select(Number)) + "]";

    public static string Ints(IEnumerable<int> values) => "[" + string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>A detection label spot of <c>ElephantGraphTagActionMixin</c>: a sphere of radius r µm.</summary>
    public static string DetectionSpot(int t, (double X, double Y, double Z) pos, double radius, string tag, int id) =>
        $"{{\"t\":{t},\"pos\":{Numbers([pos.X, pos.Y, pos.Z])},\"covariance\":{Numbers([radius * radius, 0, 0, 0, radius * radius, 0, 0, 0, radius * radius])},\"label\":\"{id}\",\"id\":{id},\"tag\":\"{tag}\"}}";

    /// <summary>The tagged spots of a timepoint of <see cref="TinyMovie"/>: both nuclei tp, two background spots tn.</summary>
    public static string TinySpots(params int[] timepoints)
    {
        var spots = new StringBuilder();
        var id = 0;
        foreach (var t in timepoints)
        {
            foreach (var nucleus in TinyMovie.Nuclei(t))
            {
                spots.Append(spots.Length > 0 ? "," : string.Empty).Append(DetectionSpot(t, nucleus, 4, "tp", id++));
            }

            spots.Append(',').Append(DetectionSpot(t, (27, 5, 8), 4, "tn", id++));
            spots.Append(',').Append(DetectionSpot(t, (5, 27, 8), 4, "tn", id++));
        }

        return "[" + spots + "]";
    }

    public const string Scales = "[1,1,2]";

    /// <summary><c>/seg/update</c>, batch kind, as UpdateDetectionLabelsAction sends it.</summary>
    public static string Update(string spots, bool live = false) =>
        $"{{\"dataset_name\":\"tiny\",\"auto_bg_thresh\":0,\"c_ratio\":0.4,\"reset\":false,\"scales\":{Scales},\"spots\":{spots},\"is_3d\":true,\"is_livemode\":{(live ? "true" : "false")},\"use_memmap\":true}}";

    /// <summary><c>/seg/train</c> as TrainDetectionAction sends it, with a tiny crop and one crop per epoch.</summary>
    public static string Train(string spots, bool live = false, int epochs = 1, double lr = 0.001, string model = "detection.pth") =>
        $"{{\"dataset_name\":\"tiny\",\"scales\":{Scales},\"crop_size\":[32,32,8],\"spots\":{spots},\"model_name\":\"{model}\",\"debug\":false," +
        $"\"lr\":{Number(lr)},\"batch_size\":1,\"n_crops\":1,\"n_epochs\":{epochs},\"is_livemode\":{(live ? "true" : "false")},\"n_keep_axials\":1," +
        "\"aug_scale_factor_base\":0,\"aug_rotation_angle\":0,\"aug_contrast\":0,\"timepoint\":0,\"class_weights\":[1,10,10],\"false_weight\":10," +
        "\"auto_bg_thresh\":0,\"c_ratio\":0.4,\"cache_maxbytes\":1073741824,\"log_interval\":1,\"log_dir\":\"detection_log\",\"is_3d\":true,\"use_memmap\":true,\"input_size\":[32,32,8]}";

    /// <summary><c>/seg/predict</c> as PredictSpotsAction sends it (patch on; crop box for "around mouse").</summary>
    public static string Predict(int t, string? cropBox = null, string model = "detection.pth", double threshold = 0.5, bool output = false) =>
        $"{{\"dataset_name\":\"tiny\",\"model_name\":\"{model}\",\"n_keep_axials\":1,\"scales\":{Scales},\"c_ratio\":0.4,\"p_thresh\":{Number(threshold)},\"r_min\":1,\"r_max\":5," +
        $"\"debug\":false,\"output_prediction\":{(output ? "true" : "false")},\"use_median\":false,\"is_pad\":true,\"cache_maxbytes\":1073741824,\"is_3d\":true,\"use_2d\":false," +
        $"\"use_memmap\":true,\"batch_size\":1,\"input_size\":[32,32,8],\"patch\":[384,384,24],{(cropBox is null ? string.Empty : $"\"crop_box\":{cropBox},")}\"timepoint\":{t}}}";

    public static string Check(string name = "tiny") => $"{{\"dataset_name\":\"{name}\",\"shape\":[{TinyMovie.Timepoints},{TinyMovie.Depth},{TinyMovie.Height},{TinyMovie.Width}]}}";

    public static string Generate(string name = "tiny") => $"{{\"dataset_name\":\"{name}\",\"is_2d\":false}}";
}
