namespace CellVision.IO.Ctc;

/// <summary>One line of a CTC track file (<c>man_track.txt</c>, <c>res_track.txt</c>): <c>L B E P</c>.</summary>
/// <param name="Label">The track label (≥ 1), also its value in the label images.</param>
/// <param name="Begin">First frame (zero-based).</param>
/// <param name="End">Last frame, inclusive.</param>
/// <param name="Parent">The parent track's label, or 0 for none.</param>
public readonly record struct CtcTrack(int Label, int Begin, int End, int Parent);
