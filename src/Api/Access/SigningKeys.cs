using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ElderIoT.Api.Access;

/// <summary>
/// The key this node signs and checks its own tokens with: <c>Auth:SigningKey</c>, or else a random
/// key generated on the first run and kept in the data folder, readable by the service user only
/// (0600), so that tokens outlive a restart.
/// </summary>
public sealed class SigningKeys
{
    /// <summary>The file in the data folder that holds a generated key.</summary>
    public const string FileName = "auth-signing.key";

    private readonly Lazy<SymmetricSecurityKey> _key;

    public SigningKeys(IOptions<AuthOptions> auth, IOptions<Records.RecordsOptions> records)
    {
        _key = new Lazy<SymmetricSecurityKey>(() => Load(auth.Value.SigningKey, records.Value.DataDirectory));
    }

    /// <summary>The key (created on first use when none is configured).</summary>
    public SymmetricSecurityKey Key => _key.Value;

    /// <summary>A configured key as text, or the generated one in <paramref name="dataDirectory"/>.</summary>
    public static SymmetricSecurityKey Load(string? configured, string dataDirectory)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(configured));
        }

        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        try
        {
            var bytes = RandomNumberGenerator.GetBytes(64);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(path, options))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(Convert.ToBase64String(bytes));
            }

            return new SymmetricSecurityKey(bytes);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Made by an earlier run, or by another node starting on the same folder at this moment.
            return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
        }
    }
}
