namespace ElderIoT.DeviceSim;

/// <summary>
/// How a simulated elder moves and what their watch measures: walks at a walking pace between home
/// and a few places nearby (never teleporting), sleeps at home at night while the watch charges,
/// heart rate that follows the day and the effort, GPS that is worse indoors. All randomness comes
/// from the elder's seeded <see cref="Random"/>, so the same seed gives the same day.
/// </summary>
internal sealed class ElderBehaviour
{
    public const double MaxWalkingSpeed = 1.3; // m/s, a brisk walk for an older person
    private const double MetresPerDegree = 111_320;
    private static readonly TimeZoneInfo Local = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private readonly Random _random;
    private readonly (double Lat, double Lon)[] _places;
    private (double Lat, double Lon) _target;
    private double _speed;
    private DateTimeOffset _restUntil;
    private double _battery = 100;
    private bool _pinned;
    private bool _atFenceLine;

    public ElderBehaviour(double homeLat, double homeLon, Random random)
    {
        _random = random;
        HomeLat = homeLat;
        HomeLon = homeLon;
        Lat = homeLat;
        Lon = homeLon;
        // A park, a market, a friend's flat: within about 600 m of home.
        _places = [.. Enumerable.Range(0, 3).Select(_ => Offset(homeLat, homeLon, _random.NextDouble() * 600, _random.NextDouble() * 2 * Math.PI))];
        _target = (homeLat, homeLon);
        HeartRateBase = 62 + _random.Next(10);
    }

    public double HomeLat { get; }
    public double HomeLon { get; }

    /// <summary>True position (the reported one carries GPS error).</summary>
    public double Lat { get; private set; }
    public double Lon { get; private set; }

    public int HeartRateBase { get; }
    public int Steps { get; private set; }
    public int Battery => (int)Math.Round(_battery);

    /// <summary>Scenario "vitals": a sustained abnormal heart rate.</summary>
    public bool AbnormalHeartRate { get; set; }

    /// <summary>Scenario "wander": heads off to a place far outside the home zone.</summary>
    public void Wander() => _target = Offset(HomeLat, HomeLon, 2000 + _random.NextDouble() * 1000, _random.NextDouble() * 2 * Math.PI);

    /// <summary>Scenario "fence-line": stands on the edge of the home zone; the fixes jitter 30–60 m around it.</summary>
    public void StandAtFenceLine(double radius)
    {
        (Lat, Lon) = Offset(HomeLat, HomeLon, radius, _random.NextDouble() * 2 * Math.PI);
        _target = (Lat, Lon);
        _pinned = _atFenceLine = true;
    }

    /// <summary>Scenario "river": walks to a point <paramref name="north"/> metres north of home (on the river bank) and stays.</summary>
    public void WalkToRiver(double north)
    {
        _target = Offset(HomeLat, HomeLon, north, 0);
        _pinned = true;
    }

    public bool IsHome => DistanceMetres(Lat, Lon, HomeLat, HomeLon) < 30;

    /// <summary>Advances the elder by <paramref name="elapsed"/> and returns the reading the watch would send now.</summary>
    public SimReading Step(DateTimeOffset now, TimeSpan elapsed)
    {
        var hour = TimeZoneInfo.ConvertTime(now, Local).Hour;
        var night = hour is >= 22 or < 6;
        var walked = Move(now, elapsed, night);
        Steps += (int)(walked / 0.6);
        UpdateBattery(elapsed, night);

        var indoors = IsHome;
        var accuracy = indoors ? 25 + _random.Next(40) : 4 + _random.Next(12);
        // Reported fix: the true position off by up to a third of the stated accuracy; at the fence
        // line, between tall buildings, 30–60 m off with a stated accuracy of 30–60 m.
        var error = _atFenceLine ? 30 + _random.NextDouble() * 30 : _random.NextDouble() * accuracy / 3;
        accuracy = _atFenceLine ? 30 + _random.Next(31) : accuracy;
        var (lat, lon) = Offset(Lat, Lon, error, _random.NextDouble() * 2 * Math.PI);
        var effort = walked > 0 ? 15 : 0;
        var heartRate = AbnormalHeartRate
            ? 135 + _random.Next(15)
            : HeartRateBase + (night ? -6 : 6) + effort + _random.Next(-3, 4);
        return new SimReading(lat, lon, accuracy, heartRate, 94 + _random.Next(5), Steps, Battery, Worn: !night || !indoors);
    }

    private double Move(DateTimeOffset now, TimeSpan elapsed, bool night)
    {
        if (night && _target != (HomeLat, HomeLon) && !IsWandering && !_pinned)
        {
            _target = (HomeLat, HomeLon); // bedtime: head home
        }

        var distance = DistanceMetres(Lat, Lon, _target.Lat, _target.Lon);
        if (distance < 1)
        {
            if (now < _restUntil || night || IsWandering || _pinned)
            {
                return 0;
            }

            // Arrived: rest a while, then walk on to the next place (or home).
            _restUntil = now + TimeSpan.FromMinutes(5 + _random.Next(40));
            _target = IsHome ? _places[_random.Next(_places.Length)] : (HomeLat, HomeLon);
            _speed = 0.6 + _random.NextDouble() * (MaxWalkingSpeed - 0.6);
            return 0;
        }

        if (now < _restUntil)
        {
            return 0;
        }

        if (_speed == 0)
        {
            _speed = 0.6 + _random.NextDouble() * (MaxWalkingSpeed - 0.6);
        }

        var step = Math.Min(distance, _speed * elapsed.TotalSeconds);
        var fraction = step / distance;
        Lat += (_target.Lat - Lat) * fraction;
        Lon += (_target.Lon - Lon) * fraction;
        return step;
    }

    private bool IsWandering => DistanceMetres(_target.Lat, _target.Lon, HomeLat, HomeLon) > 1500;

    private void UpdateBattery(TimeSpan elapsed, bool night)
    {
        // About 4 % an hour on the wrist; on the charger at night, 25 % an hour.
        var perHour = night && IsHome ? 25 : -4;
        _battery = Math.Clamp(_battery + perHour * elapsed.TotalHours, 5, 100);
    }

    public static double DistanceMetres(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = (lat2 - lat1) * MetresPerDegree;
        var dLon = (lon2 - lon1) * MetresPerDegree * Math.Cos(lat1 * Math.PI / 180);
        return Math.Sqrt(dLat * dLat + dLon * dLon);
    }

    private static (double Lat, double Lon) Offset(double lat, double lon, double metres, double bearing) =>
        (lat + metres * Math.Cos(bearing) / MetresPerDegree,
         lon + metres * Math.Sin(bearing) / (MetresPerDegree * Math.Cos(lat * Math.PI / 180)));
}

/// <summary>What the watch reports.</summary>
internal sealed record SimReading(double Lat, double Lon, int Accuracy, int HeartRate, int SpO2, int Steps, int Battery, bool Worn);
