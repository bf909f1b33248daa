-- Rancang storage in PostgreSQL: one table per kind of record of the storage interface
-- (server/storage/types.ts). JSON records are kept as `json`, which stores the text exactly as
-- written, so a record reads back byte for byte as LevelDB holds it (backups and the
-- migrate-storage digest compare those bytes). Text that is sorted uses COLLATE "C": byte order,
-- as LevelDB's keys sort.

CREATE TABLE documents (
  id text COLLATE "C" PRIMARY KEY,
  record json NOT NULL,
  -- The merged Yjs state and the clock of the last update folded into it; null only while a copy
  -- from LevelDB (which keeps record and state under two keys) has written the record alone.
  state bytea,
  state_clock bigint NOT NULL DEFAULT 0
);

-- Updates stored after the state, per document, by clock (group commit writes many per transaction).
CREATE TABLE updates (
  doc_id text COLLATE "C" NOT NULL,
  clock bigint NOT NULL,
  "update" bytea NOT NULL,
  PRIMARY KEY (doc_id, clock)
);

-- Who first sent content of a Yjs client id; kept through compaction.
CREATE TABLE authors (
  doc_id text COLLATE "C" NOT NULL,
  client_id bigint NOT NULL,
  author json NOT NULL,
  PRIMARY KEY (doc_id, client_id)
);

-- Updates that deleted content, with their sender; kept through compaction.
CREATE TABLE deletions (
  doc_id text COLLATE "C" NOT NULL,
  clock bigint NOT NULL,
  author json NOT NULL,
  "update" bytea NOT NULL,
  PRIMARY KEY (doc_id, clock)
);

-- A snapshot's metadata and data are written together; both are null-able only so a copy from
-- LevelDB (which keeps them under two keys) can fill them one after the other.
CREATE TABLE snapshots (
  doc_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  meta json,
  data bytea,
  PRIMARY KEY (doc_id, id)
);

CREATE TABLE threads (
  doc_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  record json NOT NULL,
  PRIMARY KEY (doc_id, id)
);

CREATE TABLE suggestions (
  doc_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  record json NOT NULL,
  PRIMARY KEY (doc_id, id)
);

CREATE TABLE statuses (
  doc_id text COLLATE "C" NOT NULL,
  pasal_id text COLLATE "C" NOT NULL,
  record json NOT NULL,
  PRIMARY KEY (doc_id, pasal_id)
);

CREATE TABLE users (
  username text COLLATE "C" PRIMARY KEY,
  record json NOT NULL
);

CREATE TABLE revocations (
  token_id text COLLATE "C" PRIMARY KEY,
  -- Seconds since the epoch, as JSON (the form LevelDB stores).
  expires_at json NOT NULL
);

CREATE TABLE settings (
  name text COLLATE "C" PRIMARY KEY,
  value bytea NOT NULL
);

-- Append-only; `at` is fixed-width ISO 8601, so text order is time order.
CREATE TABLE audit (
  at text COLLATE "C" NOT NULL,
  nonce text COLLATE "C" NOT NULL,
  entry json NOT NULL,
  PRIMARY KEY (at, nonce)
);

-- The storage format version of the records (server/storage/migrations.ts), one row at most.
CREATE TABLE storage_format (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  version json NOT NULL
);
