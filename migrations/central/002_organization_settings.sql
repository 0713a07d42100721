-- Business settings per agency. The migration runner skips an ADD COLUMN whose column exists.
ALTER TABLE organizations ADD COLUMN db_path TEXT DEFAULT NULL;
ALTER TABLE organizations ADD COLUMN enable_post_window_emails INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN effective_date_first_email_months INTEGER NOT NULL DEFAULT 11;
ALTER TABLE organizations ADD COLUMN exclude_failed_underwriting_global INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN send_without_zipcode_for_universal INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN pre_exclusion_buffer_days INTEGER NOT NULL DEFAULT 60;
ALTER TABLE organizations ADD COLUMN birthday_days_before INTEGER NOT NULL DEFAULT 14;
ALTER TABLE organizations ADD COLUMN effective_date_days_before INTEGER NOT NULL DEFAULT 30;
ALTER TABLE organizations ADD COLUMN send_time_hour INTEGER NOT NULL DEFAULT 8;
ALTER TABLE organizations ADD COLUMN send_time_minute INTEGER NOT NULL DEFAULT 30;
ALTER TABLE organizations ADD COLUMN timezone TEXT NOT NULL DEFAULT 'America/Chicago';
ALTER TABLE organizations ADD COLUMN max_emails_per_period INTEGER NOT NULL DEFAULT 3;
ALTER TABLE organizations ADD COLUMN frequency_period_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE organizations ADD COLUMN size_profile TEXT NOT NULL DEFAULT 'auto';
ALTER TABLE organizations ADD COLUMN config_overrides TEXT DEFAULT NULL;
ALTER TABLE organizations ADD COLUMN aep_month INTEGER NOT NULL DEFAULT 9;
ALTER TABLE organizations ADD COLUMN aep_day INTEGER NOT NULL DEFAULT 15;
