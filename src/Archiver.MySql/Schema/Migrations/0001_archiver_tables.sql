-- Migration 1: Archiver's own tables beside the users' schema, as the unversioned archiver.sql
-- (its "version 3") created them. Every statement is idempotent (CREATE TABLE IF NOT EXISTS), so a
-- database made by that script, or by an older one with fewer tables, is adopted by running this:
-- what is missing is created, nothing that exists is touched, and version 1 is recorded.
-- Runs on MariaDB 10.11 and MySQL 8.
-- archiver_campaign_runs: one row per campaign it has attempted, for `archiver archive status`.
CREATE TABLE IF NOT EXISTS archiver_campaign_runs (
  campaign_id BIGINT NOT NULL PRIMARY KEY,
  state VARCHAR(16) NOT NULL,              -- 'running', 'failed' or 'archived'
  attempts INT NOT NULL DEFAULT 0,
  started_at DATETIME(3) NULL,
  finished_at DATETIME(3) NULL,
  host VARCHAR(255) NULL,
  rows_read BIGINT NULL,
  last_error TEXT NULL,
  last_error_at DATETIME(3) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Version 2: the purge journal, one row per (campaign, set) whose MySQL rows `archiver purge` has
-- started deleting. `documents` and `checksum` describe the archive as verified when the purge of
-- the set started: a resumed purge deletes more only while the archive is still exactly that.
-- `rows_deleted` is updated in the same transaction as each delete batch.
CREATE TABLE IF NOT EXISTS archiver_purge_sets (
  campaign_id BIGINT NOT NULL,
  set_table VARCHAR(64) NOT NULL,
  documents BIGINT NOT NULL,
  checksum VARCHAR(64) NOT NULL,
  rows_deleted BIGINT NOT NULL DEFAULT 0,
  batches INT NOT NULL DEFAULT 0,
  started_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  finished_at DATETIME(3) NULL,
  host VARCHAR(255) NULL,
  PRIMARY KEY (campaign_id, set_table)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Version 3: what the archive proved of each set when it flagged a campaign, written in the flag's
-- own transaction. `revision_digest` is the SHA-256 over every (document id, content hash, revision)
-- in id order (NULL when verification had to read the documents' bodies): a first purge recomputes
-- it from the rows and the ids and revisions of `_all_docs`, without reading a single body.
CREATE TABLE IF NOT EXISTS archiver_archived_sets (
  campaign_id BIGINT NOT NULL,
  set_table VARCHAR(64) NOT NULL,
  row_count BIGINT NOT NULL,
  checksum VARCHAR(64) NOT NULL,
  revision_digest VARCHAR(64) NULL,
  archived_at DATETIME(3) NOT NULL,
  PRIMARY KEY (campaign_id, set_table)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
