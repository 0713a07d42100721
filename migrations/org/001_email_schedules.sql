-- skip-if-table-exists: email_schedules
-- The plan. An agency's existing email_schedules table is used as it is: no column or index of
-- it is changed, so this whole file is skipped when the table exists.
CREATE TABLE email_schedules (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  contact_id INTEGER NOT NULL,
  email_type TEXT NOT NULL,
  scheduled_send_date TEXT NOT NULL,
  scheduled_send_time TEXT NOT NULL DEFAULT '08:30:00',
  status TEXT NOT NULL DEFAULT 'pre-scheduled',
  skip_reason TEXT,
  priority INTEGER DEFAULT 10,
  campaign_instance_id INTEGER,
  email_template TEXT,
  sms_template TEXT,
  event_year INTEGER,
  event_month INTEGER,
  event_day INTEGER,
  scheduler_run_id TEXT,
  metadata TEXT,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP,
  updated_at TEXT DEFAULT CURRENT_TIMESTAMP,
  actual_send_datetime TEXT
);
CREATE UNIQUE INDEX idx_email_schedules_unique
  ON email_schedules (contact_id, email_type, scheduled_send_date);
CREATE INDEX idx_email_schedules_status_date
  ON email_schedules (status, scheduled_send_date);
