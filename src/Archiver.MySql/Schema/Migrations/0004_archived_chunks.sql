-- Migration 4: what the flag proved of each chunk of a set (issue 20): the set's rows cut in key order
-- into chunks of 10,000, each with MySQL's fingerprint of its rows (count, key sum, sum of per-row
-- CRC32s, as the purge's delete transaction computes them) and the digest of its documents' ids and
-- revisions, written in the flag's own transaction. A purge re-verifies a set chunk by chunk against
-- these rows (reading only keys, CRC32s, ids and revisions), overlapping the next chunk's verification
-- with the current chunk's deletes. A set flagged before this migration has no rows here: its purge
-- verifies the whole set first, as before.
CREATE TABLE IF NOT EXISTS archiver_archived_chunks (
  campaign_id BIGINT NOT NULL,
  set_table VARCHAR(64) NOT NULL,
  chunk_no INT NOT NULL,
  first_key BIGINT NOT NULL,
  last_key BIGINT NOT NULL,
  row_count BIGINT NOT NULL,
  key_sum DECIMAL(65,0) NOT NULL,
  content_sum DECIMAL(65,0) NOT NULL,
  revision_digest CHAR(64) NOT NULL,
  PRIMARY KEY (campaign_id, set_table, chunk_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
