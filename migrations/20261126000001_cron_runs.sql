-- Scheduled job runs: one row per (job, slot), the claim that makes each slot run exactly once
-- however many worker replicas fire the same tick, and the run history operators read.
--
-- Every replica's scheduler fires every tick; the tick first inserts its row here with
-- ON CONFLICT DO NOTHING, and only the replica whose insert landed enqueues the job (in the
-- same transaction). The executing worker then records each attempt on the same row.

-- The job queue (apalis, schema "apalis", migrated by the worker) stores task metadata as
-- hstore and its migrations use pgcrypto. Creating extensions may need more privileges than the
-- worker's role has (and on managed Postgres they must be allow-listed), so the schema owner
-- creates them here; the queue's own `CREATE EXTENSION IF NOT EXISTS` then finds them.
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE cron_runs (
    job         text        NOT NULL,
    -- The scheduled time of the tick (UTC, whole seconds); decides what the run does.
    slot        timestamptz NOT NULL,
    -- The replica that claimed the slot and the one that ran the latest attempt.
    claimed_by  text        NOT NULL,
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    ran_by      text,
    status      text        NOT NULL DEFAULT 'queued',
    attempts    integer     NOT NULL DEFAULT 0,
    -- Start of the first attempt (tick lateness = started_at - slot) and end of the last.
    started_at  timestamptz,
    finished_at timestamptz,
    -- Duration of the latest attempt.
    duration_ms bigint,
    -- The latest failure, kept after a successful retry so operators see what happened.
    error       text,
    -- What the run did (counts), as reported by the job.
    outcome     jsonb,
    CONSTRAINT cron_runs_pkey PRIMARY KEY (job, slot),
    CONSTRAINT cron_runs_status_check CHECK
        (status IN ('queued', 'running', 'retrying', 'succeeded', 'failed', 'skipped')),
    CONSTRAINT cron_runs_attempts_check CHECK (attempts >= 0),
    CONSTRAINT cron_runs_outcome_is_object CHECK (outcome IS NULL OR jsonb_typeof(outcome) = 'object')
);
-- Recent runs across jobs and the retention delete.
CREATE INDEX cron_runs_slot_idx ON cron_runs (slot DESC);
