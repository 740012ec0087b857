using CellVision.Torch;
using CellVision.Torch.Serialization;

namespace CellVision.Detection;

/// <summary>Reads a <c>.pth</c> file that holds one state dict or a list of them (ELEPHANT's ensembles) into networks.</summary>
internal static class EnsembleFile
{
    /// <summary>One network per state dict, made by <paramref name="create"/>; none is left undisposed on failure.</summary>
    internal static IReadOnlyList<T> Load<T>(string path, Func<T> create)
        where T : Module
    {
        var stateDicts = PthFile.LoadStateDicts(path).ToList();
        var models = new List<T>();
        try
        {
            foreach (var weights in stateDicts)
            {
                var model = create();
                models.Add(model);
                model.LoadStateDict(weights);
            }

            return models;
        }
        catch
        {
            models.ForEach(m => m.Dispose());
            throw;
        }
        finally
        {
            stateDicts.ForEach(w => w.Dispose());
        }
    }
}
