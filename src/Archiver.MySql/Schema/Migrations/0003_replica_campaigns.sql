-- Migration 3: which archived campaigns each replica of the archive holds complete (issue 18). A row
-- is written once `archiver replicas sync` has counted, at the replica, every document the flag's
-- verification recorded in archiver_archived_sets (and the campaign's rollups), and built its views
-- there. Reads route a campaign to a replica only through this row; a replica's lag is the number
-- of archived campaigns without one.
CREATE TABLE IF NOT EXISTS archiver_replica_campaigns (
  replica VARCHAR(64) NOT NULL,
  campaign_id BIGINT NOT NULL,
  documents BIGINT NOT NULL,
  complete_at DATETIME(3) NOT NULL,
  PRIMARY KEY (replica, campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
