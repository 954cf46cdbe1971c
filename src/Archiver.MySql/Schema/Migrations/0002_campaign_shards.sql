-- Migration 2: the shards of campaigns bigger than Archive:ShardRows. A set's plan is written once,
-- in one transaction (its shards' key ranges: key_from inclusive, key_to exclusive, NULL for open
-- ends), so that every worker and every re-run works on the same ranges. `digest` is NULL while the
-- shard is pending; once its copy is verified it holds the SHA-256 over every (document id, content
-- hash, revision) of its range in key order, which the campaign's final step recomputes before the flag.
-- Runs on MariaDB 10.11 and MySQL 8.
CREATE TABLE IF NOT EXISTS archiver_campaign_shards (
  campaign_id BIGINT NOT NULL,
  set_table VARCHAR(64) NOT NULL,
  shard INT NOT NULL,
  key_from BIGINT NULL,
  key_to BIGINT NULL,
  digest VARCHAR(64) NULL,
  row_count BIGINT NOT NULL DEFAULT 0,
  verified_at DATETIME(3) NULL,
  host VARCHAR(255) NULL,
  PRIMARY KEY (campaign_id, set_table, shard)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
