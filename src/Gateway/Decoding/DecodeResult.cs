namespace ElderIoT.Gateway.Decoding;

/// <summary>A decoded payload, or why it could not be decoded (said back to the device and logged).</summary>
public readonly record struct DecodeResult<T>(T? Value, string? Error) where T : class
{
    public bool IsValid => Value is not null;

    public static DecodeResult<T> Ok(T value) => new(value, null);

    public static DecodeResult<T> Invalid(string error) => new(null, error);
}
