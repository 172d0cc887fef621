using ElderIoT.Contracts;
using ElderIoT.Records;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ElderIoT.Api.Access;

/// <summary>
/// The users table: creating, changing and checking a password. Passwords are hashed by ASP.NET
/// Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2, a salt of its own per user, the
/// iteration count in the hash so it can be raised later); no password is ever stored or logged.
/// </summary>
public sealed class UserStore(IDbContextFactory<ElderIoTDbContext> contexts, AlarmRecords alarmRecords, TimeProvider clock)
{
    private static readonly PasswordHasher<UserRecord> Hasher = new();

    /// <summary>A well-formed hash of a password nobody has, to spend the same time on an unknown user name.</summary>
    private static readonly string DummyHash = Hasher.HashPassword(null!, Guid.NewGuid().ToString());

    /// <summary>The user whose password matches, or null (unknown, disabled or wrong password alike).</summary>
    public async Task<UserRecord?> CheckPasswordAsync(string userName, string password, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        var result = Hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? DummyHash, password);
        if (user is null || user.Disabled || result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
            await db.SaveChangesAsync(cancellationToken);
        }

        return user;
    }

    /// <summary>
    /// The user's row, as every authenticated request's check reads it (<see cref="UserAccessCache"/>):
    /// on the alarm lane, since a seat's accept and resolve wait for it (measured: 15 s, the main pool's
    /// timeout, while a connect storm held that pool). Its rate is bounded by people, once per user per
    /// <see cref="AuthOptions.UserCheckLifetime"/> and node, never by devices.
    /// </summary>
    public async Task<UserRecord?> FindAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var db = await alarmRecords.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
    }

    public async Task<List<UserRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
    }

    public async Task<bool> AnyAdminAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var admin = AccessRole.Admin.ToSnakeCase();
        return await db.Users.AnyAsync(u => u.Role == admin, cancellationToken);
    }

    /// <summary>Adds a user; false when the name is taken.</summary>
    public async Task<bool> CreateAsync(UserRecord user, string password, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(u => u.UserName == user.UserName, cancellationToken))
        {
            return false;
        }

        user.PasswordHash = Hasher.HashPassword(user, password);
        user.CreatedAt = user.UpdatedAt = clock.GetUtcNow();
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // Another node added the same name a moment ago.
        }
    }

    /// <summary>Applies <paramref name="change"/> (and a new password when given); null when there is no such user.</summary>
    public async Task<UserRecord?> UpdateAsync(string userName, Action<UserRecord> change, string? password, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            return null;
        }

        change(user);
        if (password is not null)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
        }

        user.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>What a token says about a user from the table.</summary>
    public static Caller ToCaller(UserRecord user) => new(
        user.UserName, EnumNames.ParseSnakeCase<AccessRole>(user.Role), user.SeatId, user.ElderId, user.Districts);
}
