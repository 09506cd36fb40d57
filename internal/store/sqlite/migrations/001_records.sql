-- Every record of every kind lives in one table. seq is AUTOINCREMENT so a
-- deleted record's Seq is never handed out again.
CREATE TABLE records (
	seq     INTEGER PRIMARY KEY AUTOINCREMENT,
	kind    TEXT NOT NULL,
	account TEXT NOT NULL,
	region  TEXT NOT NULL,
	id      TEXT NOT NULL,
	value   BLOB NOT NULL,
	UNIQUE (kind, account, region, id)
);

-- List and Count walk one scope in seq order.
CREATE INDEX records_scope_seq ON records (kind, account, region, seq);
