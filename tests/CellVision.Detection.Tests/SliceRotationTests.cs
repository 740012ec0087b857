using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.Json;
using CellVision.Detection;
using CellVision.Networks;

namespace CellVision.Detection.Tests;

/// <summary>The rotation augmentation equals scikit-image's <c>transform.rotate(resize=True)</c> (Golden/rotate_reference.py).</summary>
public sealed class SliceRotationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cellvision-rotate-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Bilinear_and_nearest_rotation_equal_scikit_image()
    {
        const int rows = 11, cols = 14;
        var random = new Random(5);
        var image = new float[rows * cols];
        var labels = new byte[rows * cols];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = 0.2f + (0.8f * (float)random.NextDouble());
            labels[i] = (byte)random.Next(7);
        }

        int[] angles = [0, 1, -7, 15, 30, 45, -45, 60, 89, 90, -90, 135, 180, -180, 17, -123];
        File.WriteAllBytes(Path.Combine(folder, "image.bin"), MemoryMarshal.AsBytes(image.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(folder, "labels.bin"), labels);
        var spec = new JsonObject
        {
            ["shape"] = new JsonArray(rows, cols),
            ["image"] = Path.Combine(folder, "image.bin"),
            ["labels"] = Path.Combine(folder, "labels.bin"),
            ["angles"] = new JsonArray(angles.Select(a => (JsonNode?)a).ToArray()),
        };
        File.WriteAllText(Path.Combine(folder, "spec.json"), spec.ToJsonString());
        PythonReference.Run("Golden/rotate_reference.py", Path.Combine(folder, "spec.json"), folder);
        var shapes = JsonSerializer.Deserialize<int[][]>(File.ReadAllText(Path.Combine(folder, "shapes.json")))!;

        for (var a = 0; a < angles.Length; a++)
        {
            var rotation = SliceRotation.Create(rows, cols, angles[a]);
            Assert.Equal((shapes[a][0], shapes[a][1]), (rotation.Rows, rotation.Columns));
            var expected = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(folder, $"{a}.f32"))).ToArray();
            var actual = new float[rotation.Rows * rotation.Columns];
            rotation.Bilinear(image, actual);
            var worst = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(worst == 0, $"{angles[a]}°: bilinear differs by up to {worst}");

            var expectedLabels = File.ReadAllBytes(Path.Combine(folder, $"{a}.u8"));
            var actualLabels = new byte[rotation.Rows * rotation.Columns];
            rotation.Nearest(labels, actualLabels);
            Assert.Equal(expectedLabels, actualLabels);
        }
    }

    [Fact]
    public void A_quarter_turn_of_a_square_slice_is_a_transpose_and_flip()
    {
        var rotation = SliceRotation.Create(3, 3, 90);
        byte[] labels = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var rotated = new byte[9];
        rotation.Nearest(labels, rotated);

        // Counter-clockwise as displayed (row 0 at the top): the right column becomes the top row.
        Assert.Equal(new byte[] { 3, 6, 9, 2, 5, 8, 1, 4, 7 }, rotated);
    }
}
