using System.Diagnostics.CodeAnalysis;

namespace CellVision.Torch;

/// <summary>Element types of tensors. The values equal libtorch's <c>c10::ScalarType</c> codes.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are PyTorch's dtype names (torch.uint8, torch.int64, torch.float32, …), as in c10::ScalarType.")]
public enum ScalarType
{
    /// <summary>8-bit unsigned integer (<see cref="byte"/>).</summary>
    UInt8 = 0,

    /// <summary>8-bit signed integer (<see cref="sbyte"/>).</summary>
    Int8 = 1,

    /// <summary>16-bit signed integer (<see cref="short"/>).</summary>
    Int16 = 2,

    /// <summary>32-bit signed integer (<see cref="int"/>).</summary>
    Int32 = 3,

    /// <summary>64-bit signed integer (<see cref="long"/>); the type of indices and class labels.</summary>
    Int64 = 4,

    /// <summary>IEEE 754 half precision (<see cref="Half"/>).</summary>
    Float16 = 5,

    /// <summary>IEEE 754 single precision (<see cref="float"/>); the default.</summary>
    Float32 = 6,

    /// <summary>IEEE 754 double precision (<see cref="double"/>).</summary>
    Float64 = 7,

    /// <summary>Boolean, one byte per element (<see cref="bool"/>).</summary>
    Bool = 11,

    /// <summary>Brain floating point: float32's exponent with a 7-bit mantissa (<see cref="Torch.BFloat16"/>).</summary>
    BFloat16 = 15,
}
