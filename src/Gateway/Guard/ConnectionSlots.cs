using System.Net;

namespace ElderIoT.Gateway.Guard;

/// <summary>Open connections of one listener, in total and per source address.</summary>
internal sealed class ConnectionSlots(int maxTotal, int maxPerAddress)
{
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Lock _lock = new();
    private int _total;

    /// <summary>Takes a slot for a new connection from <paramref name="address"/>, or says which limit is full.</summary>
    public GuardLimit? TryTake(IPAddress address, out Slot slot)
    {
        var key = SourceAddress.KeyOf(address);
        slot = default;
        lock (_lock)
        {
            if (_total >= maxTotal)
            {
                return GuardLimit.TotalConnections;
            }

            _perAddress.TryGetValue(key, out var count);
            if (count >= maxPerAddress)
            {
                return GuardLimit.AddressConnections;
            }

            _perAddress[key] = count + 1;
            _total++;
        }

        slot = new Slot(this, key);
        return null;
    }

    private void Give(IPAddress key)
    {
        lock (_lock)
        {
            _total--;
            if (--_perAddress[key] == 0)
            {
                _perAddress.Remove(key);
            }
        }
    }

    /// <summary>One open connection; disposing it frees the slot.</summary>
    public readonly struct Slot(ConnectionSlots owner, IPAddress key) : IDisposable
    {
        public void Dispose() => owner?.Give(key);
    }
}
