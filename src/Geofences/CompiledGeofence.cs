using ElderIoT.Contracts.Geofences;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Distance;

namespace ElderIoT.Geofences;

/// <summary>
/// A zone made ready to judge fixes cheaply: projected once into local metres around its own centre,
/// prepared for point-in-polygon, with an indexed boundary for distances and an envelope that answers
/// most fixes (far outside) without touching the polygon at all.
/// </summary>
public sealed class CompiledGeofence
{
    private static readonly GeometryFactory Metric = new();

    private readonly LocalProjection _projection;
    private readonly double? _radius;
    private readonly IPreparedGeometry? _area;
    private readonly IndexedFacetDistance? _boundary;
    private readonly Envelope _envelope;

    public CompiledGeofence(GeofenceDefinition definition)
    {
        Definition = definition;
        var geometry = GeofenceGeometry.Parse(definition.Geometry);
        var centre = geometry.EnvelopeInternal.Centre;
        _projection = new LocalProjection(centre.Y, centre.X);
        if (geometry is Point point)
        {
            _radius = definition.Radius ?? throw new ArgumentException("A circle zone needs a radius.", nameof(definition));
            _projection = new LocalProjection(point.Y, point.X);
            _envelope = new Envelope(-_radius.Value, _radius.Value, -_radius.Value, _radius.Value);
            CentreLat = point.Y;
            CentreLon = point.X;
            return;
        }

        var projected = geometry.Copy();
        projected.Apply(new ProjectFilter(_projection));
        projected.GeometryChanged();
        _area = PreparedGeometryFactory.Prepare(projected);
        _boundary = new IndexedFacetDistance(projected.Boundary);
        _envelope = projected.EnvelopeInternal;
        var centroid = projected.Centroid;
        (CentreLat, CentreLon) = _projection.Unproject(centroid.X, centroid.Y);
    }

    public GeofenceDefinition Definition { get; }

    public Guid Id => Definition.Id;

    /// <summary>The circle's centre or the polygon's centroid: "home" for distances from home.</summary>
    public double CentreLat { get; }

    /// <inheritdoc cref="CentreLat"/>
    public double CentreLon { get; }

    /// <summary>
    /// Metres from the zone's boundary: positive outside, negative inside (how deep). When the fix is
    /// further outside than <paramref name="enough"/>, a lower bound above it may be returned instead
    /// of the exact distance: the caller only needs to know it is beyond.
    /// </summary>
    public double SignedDistance(double lat, double lon, double enough = double.PositiveInfinity)
    {
        var (x, y) = _projection.Project(lat, lon);
        if (_radius is { } radius)
        {
            return Math.Sqrt(x * x + y * y) - radius;
        }

        var dx = Math.Max(0, Math.Max(_envelope.MinX - x, x - _envelope.MaxX));
        var dy = Math.Max(0, Math.Max(_envelope.MinY - y, y - _envelope.MaxY));
        var toEnvelope = Math.Sqrt(dx * dx + dy * dy);
        if (toEnvelope > enough)
        {
            return toEnvelope;
        }

        var p = Metric.CreatePoint(new Coordinate(x, y));
        var distance = _boundary!.Distance(p);
        return toEnvelope == 0 && _area!.Contains(p) ? -distance : distance;
    }

    private sealed class ProjectFilter(LocalProjection projection) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (x, y) = projection.Project(seq.GetY(i), seq.GetX(i));
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
