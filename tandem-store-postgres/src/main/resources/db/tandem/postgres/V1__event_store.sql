-- Tandem event store, schema version 1. Flyway runs this with the store's schema as search_path.

-- Every event of every stream. position orders the whole store; only writers holding the store's
-- advisory lock insert here, so positions commit in increasing order (see PostgresEventStore).
CREATE TABLE events (
    position            bigint      NOT NULL,
    id                  uuid        NOT NULL,
    stream_id           text        NOT NULL,
    version             bigint      NOT NULL,
    type                text        NOT NULL,
    payload             bytea       NOT NULL,
    content_type        text        NOT NULL,
    correlation_id      text,
    causation_id        text,
    transaction_id      text,
    headers             text,        -- JSON object of free headers, NULL when there are none
    route_destination   text,        -- set when the event is an outgoing message (the outbox)
    route_partition_key text,
    recorded_at         timestamptz NOT NULL,  -- the store clock's instant, truncated to microseconds
    recorded_nano       integer     NOT NULL,  -- its exact nano-of-second
    CONSTRAINT events_pkey PRIMARY KEY (position),
    CONSTRAINT events_id_key UNIQUE (id),
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, version)
);

-- Which consumer handled which message, written atomically with the handling's effects.
CREATE TABLE inbox (
    consumer      text        NOT NULL,
    message_id    uuid        NOT NULL,
    result        bytea,
    recorded_at   timestamptz NOT NULL,
    recorded_nano integer     NOT NULL,
    CONSTRAINT inbox_pkey PRIMARY KEY (consumer, message_id)
);
CREATE INDEX inbox_recorded_at_idx ON inbox (recorded_at);

-- Durable subscription checkpoints.
CREATE TABLE checkpoints (
    name     text   NOT NULL,
    position bigint NOT NULL,
    CONSTRAINT checkpoints_pkey PRIMARY KEY (name)
);

-- The latest snapshot of each stream.
CREATE TABLE snapshots (
    stream_id text   NOT NULL,
    version   bigint NOT NULL,
    type      text   NOT NULL,
    state     bytea  NOT NULL,
    CONSTRAINT snapshots_pkey PRIMARY KEY (stream_id)
);
