using System.Collections.Concurrent;

namespace ElderIoT.Gateway.Commands;

/// <summary>
/// Which devices this node's broker can hand a command to right now: connected here, with a session
/// that holds a subscription to their commands topic. A command for any other device is kept in its
/// outbox instead of being published into nothing (MQTTnet drops a message nobody subscribed to).
/// </summary>
/// <remarks>
/// A persistent session (MQTT 3.1.1 clean session off, MQTT 5 clean start off with a session expiry)
/// keeps its subscription across a reconnect, so such a device can take commands as soon as it is back
/// without subscribing again; a clean one starts without subscriptions.
/// </remarks>
public sealed class DeviceCommandLinks
{
    private readonly ConcurrentDictionary<string, Link> _links = new(StringComparer.Ordinal);

    /// <summary>The device passed authentication; <paramref name="persistentSession"/> says what kind of session it asked for.</summary>
    public void Accepted(string deviceId, bool persistentSession)
    {
        var link = _links.GetOrAdd(deviceId, static _ => new Link());
        lock (link)
        {
            link.NextPersistent = persistentSession;
        }
    }

    /// <summary>The device is connected; true when its session still holds its commands subscription.</summary>
    public bool Connected(string deviceId)
    {
        var link = _links.GetOrAdd(deviceId, static _ => new Link());
        lock (link)
        {
            link.Connections++;
            var resumed = link.NextPersistent && link.Persistent;
            link.Persistent = link.NextPersistent;
            link.Subscribed &= resumed;
            return link.Subscribed;
        }
    }

    /// <summary>The device subscribed to its commands topic.</summary>
    public void Subscribed(string deviceId) => Update(deviceId, link => link.Subscribed = true);

    /// <summary>The device unsubscribed from its commands topic.</summary>
    public void Unsubscribed(string deviceId) => Update(deviceId, link => link.Subscribed = false);

    /// <summary>
    /// A connection of the device ended (a takeover ends the old one after the new one began).
    /// <paramref name="sessionEnds"/>: an MQTT 5 device may end its session as it disconnects (session expiry 0).
    /// </summary>
    public void Disconnected(string deviceId, bool sessionEnds)
    {
        if (!_links.TryGetValue(deviceId, out var link))
        {
            return;
        }

        lock (link)
        {
            link.Connections = Math.Max(0, link.Connections - 1);
            link.Persistent &= !sessionEnds;
            if (link.Connections == 0 && !link.Persistent)
            {
                link.Subscribed = false;
                _links.TryRemove(KeyValuePair.Create(deviceId, link));
            }
        }
    }

    /// <summary>True when a command published now reaches the device's session.</summary>
    public bool CanReceive(string deviceId)
    {
        if (!_links.TryGetValue(deviceId, out var link))
        {
            return false;
        }

        lock (link)
        {
            return link.Connections > 0 && link.Subscribed;
        }
    }

    private void Update(string deviceId, Action<Link> change)
    {
        var link = _links.GetOrAdd(deviceId, static _ => new Link());
        lock (link)
        {
            change(link);
        }
    }

    private sealed class Link
    {
        public int Connections;
        public bool Subscribed;
        public bool Persistent;
        public bool NextPersistent;
    }
}
