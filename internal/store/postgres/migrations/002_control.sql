-- The test-control state that every replica must agree on (control.go):
-- fault rules with their hit counts, the request journal, and the replicas'
-- leases and acknowledgements that make a change reach all of them before
-- the call that made it answers. /_local/reset leaves these tables alone,
-- as it leaves the rules and journal of one process alone.

-- Fault rules in creation order; a rule is live while max_hits = 0 or
-- hits < max_hits. id is "fault-" || seq.
CREATE SEQUENCE wslocal_fault_seq;
CREATE TABLE wslocal_faults (
	seq      bigint  PRIMARY KEY DEFAULT nextval('wslocal_fault_seq'),
	spec     jsonb   NOT NULL,
	max_hits integer NOT NULL,
	hits     integer NOT NULL DEFAULT 0
);
ALTER SEQUENCE wslocal_fault_seq OWNED BY wslocal_faults.seq;

-- Answered API calls of every replica. answered_ns (the replica's wall
-- clock when it answered, in nanoseconds) then seq order them.
CREATE TABLE wslocal_journal (
	seq         bigserial PRIMARY KEY,
	answered_ns bigint  NOT NULL,
	time_ns     bigint  NOT NULL,
	request_id  text    NOT NULL,
	service     text    NOT NULL,
	operation   text    NOT NULL,
	account     text    NOT NULL,
	region      text    NOT NULL,
	method      text    NOT NULL,
	path        text    NOT NULL,
	status      integer NOT NULL,
	error_code  text    NOT NULL,
	duration_ms double precision NOT NULL
);
CREATE INDEX wslocal_journal_order ON wslocal_journal (answered_ns, seq);

-- Live replicas: a replica is live while lease_until is in the future.
CREATE TABLE wslocal_replicas (
	id          text        PRIMARY KEY,
	started     timestamptz NOT NULL DEFAULT now(),
	lease_until timestamptz NOT NULL
);

-- Each topic's version, bumped by every broadcast of it.
CREATE TABLE wslocal_topics (
	topic   text   PRIMARY KEY,
	version bigint NOT NULL
);

-- The newest version of each topic a replica has handled.
CREATE TABLE wslocal_acks (
	replica text   NOT NULL,
	topic   text   NOT NULL,
	version bigint NOT NULL,
	PRIMARY KEY (replica, topic)
);
