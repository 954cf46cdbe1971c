-- Archiver's own table beside the users' schema: one row per campaign it has attempted, for
-- `archiver archive status`. Version 1. Idempotent; runs on MariaDB 10.11 and MySQL 8.
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
