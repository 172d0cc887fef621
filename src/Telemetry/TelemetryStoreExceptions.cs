namespace ElderIoT.Telemetry;

/// <summary>The store cannot take writes now (down, slow, overloaded); the batch is worth keeping and retrying.</summary>
public sealed class TelemetryStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The store refused the batch as malformed; retrying the same batch would fail again.</summary>
public sealed class TelemetryRejectedException(string message) : Exception(message);
