-- Hangfire job storage, schema version 1. Every statement is idempotent: the installer runs the
-- whole script whenever the recorded version is lower, under a GET_LOCK, then records the version.
-- {prefix} is replaced by MySqlStorageOptions.TablePrefix. Table names are lower case because
-- lower_case_table_names differs between Linux and Windows/macOS servers.
-- Key columns are utf8mb4_bin: MySQL 8 (utf8mb4_0900_ai_ci) and MariaDB (utf8mb4_general_ci)
-- default to different case-insensitive collations, and Hangfire's keys are case-sensitive.
-- Times are UTC DATETIME(6), never TIMESTAMP (session time-zone conversion, 2038). FetchToken is
-- VARCHAR, not CHAR(36), which MySqlConnector would read as a Guid.

CREATE TABLE IF NOT EXISTS `{prefix}schema` (
  `Version` INT NOT NULL,
  `InstalledAt` DATETIME(6) NOT NULL,
  PRIMARY KEY (`Version`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `{prefix}job` (
  `Id` BIGINT NOT NULL AUTO_INCREMENT,
  `StateId` BIGINT NULL,
  `StateName` VARCHAR(20) NULL,
  `InvocationData` LONGTEXT NOT NULL,
  `Arguments` LONGTEXT NOT NULL,
  `CreatedAt` DATETIME(6) NOT NULL,
  `ExpireAt` DATETIME(6) NULL,
  PRIMARY KEY (`Id`),
  KEY `IX_{prefix}job_StateName` (`StateName`, `Id`),
  KEY `IX_{prefix}job_ExpireAt` (`ExpireAt`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `{prefix}state` (
  `Id` BIGINT NOT NULL AUTO_INCREMENT,
  `JobId` BIGINT NOT NULL,
  `Name` VARCHAR(20) NOT NULL,
  `Reason` VARCHAR(100) NULL,
  `CreatedAt` DATETIME(6) NOT NULL,
  `Data` LONGTEXT NULL,
  PRIMARY KEY (`Id`),
  KEY `IX_{prefix}state_JobId` (`JobId`, `Id`),
  KEY `IX_{prefix}state_CreatedAt` (`CreatedAt`),
  CONSTRAINT `FK_{prefix}state_job` FOREIGN KEY (`JobId`) REFERENCES `{prefix}job` (`Id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `{prefix}jobparameter` (
  `JobId` BIGINT NOT NULL,
  `Name` VARCHAR(40) NOT NULL,
  `Value` LONGTEXT NULL,
  PRIMARY KEY (`JobId`, `Name`),
  CONSTRAINT `FK_{prefix}jobparameter_job` FOREIGN KEY (`JobId`) REFERENCES `{prefix}job` (`Id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- FetchedAt is never NULL: an unfetched row holds a fixed instant in the past, so one index range
-- (Queue, FetchedAt) finds both new rows and rows whose invisibility has run out.
CREATE TABLE IF NOT EXISTS `{prefix}jobqueue` (
  `Id` BIGINT NOT NULL AUTO_INCREMENT,
  `JobId` BIGINT NOT NULL,
  `Queue` VARCHAR(50) NOT NULL,
  `FetchedAt` DATETIME(6) NOT NULL,
  `FetchToken` VARCHAR(40) NULL,
  PRIMARY KEY (`Id`),
  KEY `IX_{prefix}jobqueue_Queue_FetchedAt` (`Queue`, `FetchedAt`),
  KEY `IX_{prefix}jobqueue_JobId` (`JobId`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `{prefix}server` (
  `Id` VARCHAR(200) NOT NULL,
  `Data` LONGTEXT NULL,
  `LastHeartbeat` DATETIME(6) NOT NULL,
  PRIMARY KEY (`Id`),
  KEY `IX_{prefix}server_LastHeartbeat` (`LastHeartbeat`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `{prefix}hash` (
  `Key` VARCHAR(100) NOT NULL,
  `Field` VARCHAR(100) NOT NULL,
  `Value` LONGTEXT NULL,
  `ExpireAt` DATETIME(6) NULL,
  PRIMARY KEY (`Key`, `Field`),
  KEY `IX_{prefix}hash_ExpireAt` (`ExpireAt`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Score is DOUBLE: a FLOAT rounds Unix timestamps to 128-second steps.
CREATE TABLE IF NOT EXISTS `{prefix}set` (
  `Key` VARCHAR(100) NOT NULL,
  `Value` VARCHAR(256) NOT NULL,
  `Score` DOUBLE NOT NULL,
  `ExpireAt` DATETIME(6) NULL,
  PRIMARY KEY (`Key`, `Value`),
  KEY `IX_{prefix}set_Key_Score` (`Key`, `Score`),
  KEY `IX_{prefix}set_ExpireAt` (`ExpireAt`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `{prefix}list` (
  `Id` BIGINT NOT NULL AUTO_INCREMENT,
  `Key` VARCHAR(100) NOT NULL,
  `Value` LONGTEXT NULL,
  `ExpireAt` DATETIME(6) NULL,
  PRIMARY KEY (`Id`),
  KEY `IX_{prefix}list_Key_Id` (`Key`, `Id`),
  KEY `IX_{prefix}list_ExpireAt` (`ExpireAt`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `{prefix}counter` (
  `Id` BIGINT NOT NULL AUTO_INCREMENT,
  `Key` VARCHAR(100) NOT NULL,
  `Value` INT NOT NULL,
  `ExpireAt` DATETIME(6) NULL,
  PRIMARY KEY (`Id`),
  KEY `IX_{prefix}counter_Key` (`Key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `{prefix}aggregatedcounter` (
  `Key` VARCHAR(100) NOT NULL,
  `Value` BIGINT NOT NULL,
  `ExpireAt` DATETIME(6) NULL,
  PRIMARY KEY (`Key`),
  KEY `IX_{prefix}aggregatedcounter_ExpireAt` (`ExpireAt`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
