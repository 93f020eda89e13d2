using System.Numerics;

namespace Shop.Bench.Load;

/// <summary>
/// A log-linear histogram of latencies in microseconds, in the spirit of HdrHistogram: exact below 128 µs,
/// then 64 buckets per power of two, so any percentile is within about 1.6 % of the true value while the
/// memory stays fixed (about 2,300 counters) whatever the number of requests. Not thread-safe: the built-in
/// generator keeps one per connection and merges them at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int ExactLimit = 128;
    private const int SubBuckets = 64;
    private const int SubBucketBits = 6;
    private const int FirstExponent = 7;
    private const int MaxExponent = 42;

    private readonly long[] _counts = new long[ExactLimit + (MaxExponent - FirstExponent + 1) * SubBuckets];

    public long Count { get; private set; }

    public void Record(long microseconds)
    {
        _counts[IndexOf(Math.Max(0, microseconds))]++;
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
    }

    /// <summary>The latency (µs) at or below which <paramref name="percentile"/> % of the recorded values lie.</summary>
    public double Percentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (Count == 0)
        {
            return 0;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return ValueOf(i);
            }
        }
        return ValueOf(_counts.Length - 1);
    }

    private static int IndexOf(long value)
    {
        if (value < ExactLimit)
        {
            return (int)value;
        }
        var exponent = Math.Min(MaxExponent, 63 - BitOperations.LeadingZeroCount((ulong)value));
        var sub = (int)Math.Min(SubBuckets - 1, (value >> (exponent - SubBucketBits)) - SubBuckets);
        return ExactLimit + (exponent - FirstExponent) * SubBuckets + sub;
    }

    /// <summary>The middle of the bucket: half a bucket width is the largest error either way.</summary>
    private static double ValueOf(int index)
    {
        if (index < ExactLimit)
        {
            return index;
        }
        var exponent = (index - ExactLimit) / SubBuckets + FirstExponent;
        var sub = (index - ExactLimit) % SubBuckets;
        var width = 1L << (exponent - SubBucketBits);
        return (SubBuckets + sub) * (double)width + width / 2.0;
    }
}
