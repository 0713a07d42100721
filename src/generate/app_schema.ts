import type { DatabaseSync } from "node:sqlite";

/**
 * Creates, when missing, the org-database tables that the agency's main application owns:
 * `contacts` and `contact_events`. The scheduler only reads them, so this exists for generated
 * agencies and tests. Existing tables are left as they are, extra columns included.
 */
export function createAppTables(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS contacts (
      id INTEGER PRIMARY KEY,
      first_name TEXT,
      last_name TEXT,
      email TEXT,
      current_carrier TEXT,
      plan_type TEXT,
      effective_date TEXT,
      birth_date TEXT,
      state TEXT,
      zip_code TEXT,
      phone_number TEXT,
      status TEXT,
      created_at TEXT,
      updated_at TEXT
    );
    CREATE TABLE IF NOT EXISTS contact_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      contact_id INTEGER NOT NULL,
      event_type TEXT NOT NULL,
      metadata TEXT,
      created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS idx_contact_events_contact_type_created
      ON contact_events (contact_id, event_type, created_at);
  `);
}
