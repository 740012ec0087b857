namespace CellVision.Segmentation;

/// <summary>
/// NumPy's legacy <c>RandomState</c> for an integer seed: the MT19937 generator seeded with <c>init_genrand</c> (not
/// <c>init_by_array</c>; numpy's <c>_legacy_seeding</c> uses it for a plain integer), and <c>random_sample</c>, which
/// draws two 32-bit words a, b and returns <c>((a &gt;&gt; 5)·2²⁶ + (b &gt;&gt; 6)) / 2⁵³</c>. The seed policy needs
/// <c>RandomState(42).rand(shape)</c> bit for bit, since that noise decides ties between distance peaks.
/// </summary>
internal sealed class LegacyRandomState
{
    private const int StateLength = 624;
    private const int Shift = 397;
    private readonly uint[] state = new uint[StateLength];
    private int position;

    /// <summary>Seeds the generator as <c>numpy.random.RandomState(seed)</c> does.</summary>
    /// <param name="seed">The integer seed.</param>
    internal LegacyRandomState(uint seed)
    {
        state[0] = seed;
        for (var i = 1; i < StateLength; i++)
        {
            state[i] = (1812433253u * (state[i - 1] ^ (state[i - 1] >> 30))) + (uint)i;
        }

        position = StateLength;
    }

    /// <summary>The next value of <c>rand()</c>, uniform in [0, 1) with 53 random bits.</summary>
    internal double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    /// <summary>The next tempered 32-bit word.</summary>
    internal uint NextUInt32()
    {
        if (position == StateLength)
        {
            Regenerate();
        }

        var y = state[position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    private void Regenerate()
    {
        const uint upper = 0x80000000u;
        const uint lower = 0x7fffffffu;
        const uint matrix = 0x9908b0dfu;
        for (var i = 0; i < StateLength; i++)
        {
            var y = (state[i] & upper) | (state[(i + 1) % StateLength] & lower);
            state[i] = state[(i + Shift) % StateLength] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : matrix);
        }

        position = 0;
    }
}
