-- certn-edge D1 schema: the one-click console sign-in of the development entry (`npm start`).
-- One row per spent sign-in code, named by the code's SHA-256 (never the code itself): the primary
-- key makes the spend atomic, so a code signs in once even when two requests race with it. The
-- production entry has no sign-in route and never writes here; the table stays empty there.
-- Rows are pruned 15 minutes after the spend: by then the code is refused as expired anyway.
CREATE TABLE console_logins (
  code_sha256 TEXT PRIMARY KEY,          -- hex SHA-256 of the spent code
  spent_at INTEGER NOT NULL              -- ms since the epoch
);
