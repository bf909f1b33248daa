-- Who last changed each document's text (written in the group-commit transaction that stores the
-- updates) and the bell's notifications per account, ids sorting by time.

CREATE TABLE last_modified (
  doc_id text COLLATE "C" PRIMARY KEY,
  record json NOT NULL
);

CREATE TABLE notifications (
  user_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  record json NOT NULL,
  PRIMARY KEY (user_id, id)
);
