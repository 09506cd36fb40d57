-- Every record of every kind lives in one table. Key columns are bytea so
-- that any key the other stores accept (any bytes, NUL included) is stored,
-- and compared byte by byte as the other stores order them. seq comes from
-- a sequence: unique across every replica and never handed out twice.
CREATE SEQUENCE records_seq;
CREATE TABLE records (
	kind    bytea  NOT NULL,
	account bytea  NOT NULL,
	region  bytea  NOT NULL,
	id      bytea  NOT NULL,
	seq     bigint NOT NULL DEFAULT nextval('records_seq'),
	value   bytea  NOT NULL,
	PRIMARY KEY (kind, account, region, id)
);
ALTER SEQUENCE records_seq OWNED BY records.seq;

-- List and Count walk one scope in seq order.
CREATE INDEX records_scope_seq ON records (kind, account, region, seq);
