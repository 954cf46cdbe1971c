namespace Archiver.Engine;

/// <summary>
/// Named points of a campaign's archive that crash tests stop a real process at (see
/// docs/design.md, "Crash points"): <c>after-batch:N</c>, <c>in-batch:N</c> (the server has applied
/// batch N, the archiver has not read its answer), <c>after-rows:{set}</c>, <c>after-rollups:{set}</c>,
/// <c>after-verify</c>, <c>after-flag</c>. Batches are numbered from 1 across the campaign's sets.
/// The purge has its own (docs/design.md, "Purge crash points"): <c>purge-after-verify:{set}</c>,
/// <c>purge-after-start:{set}</c>, <c>purge-after-batch:N</c>, <c>purge-after-set:{set}</c>.
/// </summary>
public interface IArchiveCheckpoints
{
    void Reached(string point);
}
