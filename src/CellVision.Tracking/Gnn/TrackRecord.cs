namespace CellVision.Tracking;

/// <summary>One line of a Cell Tracking Challenge track table (<c>res_track.txt</c>: <c>L B E P</c>).</summary>
/// <param name="Label">The track's label, unique and positive; the decoders number tracks 1..K by begin frame.</param>
/// <param name="Begin">The first frame of the track.</param>
/// <param name="End">The last frame of the track.</param>
/// <param name="Parent">The parent track's label, or 0 for none.</param>
public readonly record struct TrackRecord(int Label, int Begin, int End, int Parent);
