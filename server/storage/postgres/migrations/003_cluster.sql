-- Several servers on one database (SPEC S27): which server is alive, and which one owns each
-- document. Neither is part of backups or migrate-storage: both describe running processes.

-- One row per running server process; a server whose heartbeat is older than the lease time is dead.
CREATE TABLE nodes (
  id text COLLATE "C" PRIMARY KEY,
  -- NODE_URL: where the other servers reach this one (WebSockets and HTTP are forwarded there).
  url text NOT NULL,
  heartbeat_at timestamptz NOT NULL
);

-- The owner of a document and its fencing epoch: every claim raises the epoch, and every write of
-- the document's updates checks, in its own transaction, that the epoch it holds is still the
-- stored one. node_id is null once the owner gave the document up. Rows are never deleted, so an
-- epoch never repeats.
CREATE TABLE document_owners (
  doc_id text COLLATE "C" PRIMARY KEY,
  node_id text COLLATE "C",
  epoch bigint NOT NULL
);
