-- The users' existing schema (pinned). MySQL DATETIME values are UTC.
-- Used by the demo and the tests; IF NOT EXISTS makes installing it idempotent.
-- Runs on MariaDB 10.11 and MySQL 8.

CREATE TABLE IF NOT EXISTS campaigns (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  kind VARCHAR(16) NOT NULL,            -- 'contest' or 'vote'
  starts_at DATETIME(3) NOT NULL,
  ends_at DATETIME(3) NOT NULL,
  archived TINYINT(1) NOT NULL DEFAULT 0,
  archived_at DATETIME(3) NULL,
  KEY ix_campaigns_archive (archived, ends_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS contest_campaign_entries (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  campaign_id BIGINT NOT NULL,
  user_id BIGINT NULL,
  entry_number INT NOT NULL,
  winner TINYINT(1) NOT NULL DEFAULT 0,
  message VARCHAR(480) NULL,
  created_at DATETIME(3) NOT NULL,
  KEY ix_entries_campaign (campaign_id, id),
  KEY ix_entries_winner (campaign_id, winner)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS vote_campaign_votes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  campaign_id BIGINT NOT NULL,
  user_id BIGINT NULL,
  choice VARCHAR(64) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  KEY ix_votes_campaign (campaign_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
