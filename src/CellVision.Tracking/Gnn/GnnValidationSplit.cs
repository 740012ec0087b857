namespace CellVision.Tracking;

/// <summary>
/// The reference's training/validation split of windows: with v = ⌊fraction · all windows⌋, validation takes the last
/// ⌈v/2⌉ windows of the first sequence and the first ⌊v/2⌋ of the second (windows overlap, so validation shares frames
/// with training, as in the reference). With a single sequence it takes that sequence's last v windows.
/// </summary>
internal static class GnnValidationSplit
{
    internal static (List<CandidateGraph> Training, List<CandidateGraph> Validation) Split(IReadOnlyList<IReadOnlyList<CandidateGraph>> windows, double fraction)
    {
        var total = windows.Sum(w => w.Count);
        var count = (int)Math.Floor(fraction * total);
        var training = new List<CandidateGraph>();
        var validation = new List<CandidateGraph>();
        if (windows.Count == 1)
        {
            var only = windows[0];
            training.AddRange(only.Take(only.Count - count));
            validation.AddRange(only.Skip(only.Count - count));
            return (training, validation);
        }

        var fromFirst = Math.Min((count + 1) / 2, windows[0].Count);
        var fromSecond = Math.Min(count / 2, windows[1].Count);
        training.AddRange(windows[0].Take(windows[0].Count - fromFirst));
        validation.AddRange(windows[0].Skip(windows[0].Count - fromFirst));
        validation.AddRange(windows[1].Take(fromSecond));
        training.AddRange(windows[1].Skip(fromSecond));
        foreach (var rest in windows.Skip(2))
        {
            training.AddRange(rest);
        }

        return (training, validation);
    }
}
