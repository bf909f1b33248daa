-- The state vector of a document's compacted state, written in the same statement as the state
-- (so it always describes that state): a cold open answers from it without decoding the state.
-- Null when unknown (a new document, a restored state): the server then decodes the state once.
ALTER TABLE documents ADD COLUMN state_vector bytea;
