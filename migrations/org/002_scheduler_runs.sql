-- One row per scheduler run, written by the scheduler only.
CREATE TABLE IF NOT EXISTS scheduler_runs (
  run_id TEXT PRIMARY KEY,
  org_id INTEGER NOT NULL,
  plan_date TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  contacts_read INTEGER NOT NULL DEFAULT 0,
  rows_inserted INTEGER NOT NULL DEFAULT 0,
  rows_updated INTEGER NOT NULL DEFAULT 0,
  rows_deleted INTEGER NOT NULL DEFAULT 0,
  rows_kept INTEGER NOT NULL DEFAULT 0,
  skipped_by_reason TEXT NOT NULL DEFAULT '{}',
  invalid_by_reason TEXT NOT NULL DEFAULT '{}',
  effective_config TEXT,
  summary TEXT,
  error_message TEXT
);
CREATE INDEX IF NOT EXISTS idx_scheduler_runs_plan_date ON scheduler_runs (plan_date, status);
