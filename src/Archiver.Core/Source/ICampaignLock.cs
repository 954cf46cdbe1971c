namespace Archiver.Source;

/// <summary>
/// An exclusive claim on one campaign across processes and machines (a MySQL <c>GET_LOCK</c> held by a
/// dedicated connection). Disposing releases it; so does the connection dying, which is why the
/// engine asks <see cref="IsHeldAsync"/> before it sets the flag.
/// </summary>
public interface ICampaignLock : IAsyncDisposable
{
    /// <summary>The lock's name, for operators (<c>SELECT IS_USED_LOCK('…')</c>).</summary>
    string Name { get; }

    /// <summary>True once the lock is known to be lost (checked without a round trip; the lock's keep-alive and <see cref="IsHeldAsync"/> set it).</summary>
    bool IsLost { get; }

    Task<bool> IsHeldAsync(CancellationToken cancellationToken = default);
}
