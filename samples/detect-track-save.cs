#:property PublishAot=false
#:project ../src/CellVision/CellVision.csproj

// CellVision sample: the whole job from a few annotated nuclei — open a movie, train ELEPHANT's detector from the
// annotations, detect every timepoint, link the nuclei into tracks and save them as TrackMate XML for Fiji or
// Mastodon. The first lines only make the inputs a user brings (a BigDataViewer movie and a table of six nuclei
// tagged as true positives); the job itself is the lines after "The job".
// Run from the repository root: dotnet run samples/detect-track-save.cs [output folder]
using System.Globalization;
using CellVision;
using CellVision.Detection;

var folder = Directory.CreateDirectory(args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "cellvision-detect-track")).FullName;
var cv = new CellVisionContext(seed: 5);

// The inputs: a synthetic movie written as BigDataViewer XML/HDF5, and six of its nuclei at timepoint 0 in a CSV table.
using (var example = cv.Movies.Synthetic(new() { Timepoints = 4, Depth = 16, Height = 64, Width = 64, VoxelSize = new(0.5, 0.5, 1.0), InitialNuclei = 8, Seed = 5 }))
{
    cv.Movies.Save(example.Images, Path.Combine(folder, "movie.xml"));
    var rows = example.Truth.SpotsAt(0).Where(s => s.X is > 4 and < 28 && s.Y is > 4 and < 28).Take(6)
        .Select(s => string.Create(CultureInfo.InvariantCulture, $"0,{s.X},{s.Y},{s.Z},2.5,tp"));
    File.WriteAllLines(Path.Combine(folder, "annotations.csv"), ["timepoint,x,y,z,radius,detection_tag", .. rows]);
}

// The job.
using var movie = cv.Movies.Open(Path.Combine(folder, "movie.xml"));                  // BDV, Zarr v2/v3, OME-Zarr, TIFF, CTC
var annotations = cv.Lineages.Load(Path.Combine(folder, "annotations.csv"));          // nuclei tagged tp (or fp, tn, …)
var options = new NucleusDetectorOptions
{
    Training = new() { Epochs = 20, CropSize = (8, 32, 32), CropsPerTimepoint = 4 },   // small crops: a minute on a laptop
    Labels = new() { AutoBackgroundThreshold = 0.25 },                                 // darker voxels teach background
    SpotExtraction = new() { ProbabilityThreshold = 0.7, MinimumRadius = 2 },
};
using var detector = cv.Detection.Train(movie, annotations, options);                // ELEPHANT's 3-D U-Net, seeded
var nuclei = cv.Detection.Detect(detector, movie);                                     // every timepoint, merged as ELEPHANT merges
var links = cv.Tracking.Link(nuclei);                                                  // nearest neighbour within 5 µm
cv.Lineages.Save(nuclei, Path.Combine(folder, "tracks.xml"), movie);                   // TrackMate XML, bound to movie.xml
detector.SaveWeights(Path.Combine(folder, "detector.pth"));                            // torch.load and ELEPHANT read it

Console.WriteLine($"{nuclei.SpotCount} nuclei in {movie.Count} timepoints, {links.LinksAdded} links; tracks.xml and detector.pth written to {folder}");
if (nuclei.SpotCount == 0 || links.LinksAdded == 0)
{
    Console.Error.WriteLine("expected nuclei and links");
    return 1;
}

return 0;
