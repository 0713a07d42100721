import type { DatabaseSync } from "node:sqlite";
import { SchedulerError } from "../errors.ts";
import { openDatabase, sqliteMessage, tableColumns, tableExists } from "./sqlite.ts";

/** Columns of `email_schedules` that the scheduler reads or writes. */
export const SCHEDULE_COLUMNS = [
  "id",
  "contact_id",
  "email_type",
  "scheduled_send_date",
  "scheduled_send_time",
  "status",
  "skip_reason",
  "priority",
  "event_year",
  "event_month",
  "event_day",
  "scheduler_run_id",
  "metadata",
  "created_at",
  "updated_at",
] as const;

/** Columns of `contacts` that the scheduler reads. */
export const CONTACT_COLUMNS = [
  "id",
  "email",
  "state",
  "zip_code",
  "birth_date",
  "effective_date",
] as const;

/** Opens an agency's database for a run or for reading. */
export function openOrgDatabase(
  path: string,
  orgId: number,
  options: { readOnly?: boolean } = {},
): DatabaseSync {
  const { readOnly = false } = options;
  return openDatabase(path, { readOnly, label: `organization ${orgId} database` });
}

/**
 * Checks that the agency's database has the tables and columns the scheduler needs. Run after
 * the org migrations, so a missing `email_schedules` column means the agency's own table lacks it.
 */
export function checkOrgSchema(db: DatabaseSync, orgId: number): void {
  if (!tableExists(db, "contacts")) {
    throw new SchedulerError(`Cannot schedule organization ${orgId}: table contacts is missing`);
  }
  const contactColumns = tableColumns(db, "contacts");
  for (const column of CONTACT_COLUMNS) {
    if (!contactColumns.has(column)) {
      throw new SchedulerError(
        `Cannot schedule organization ${orgId}: contacts.${column} is missing`,
      );
    }
  }
  if (!tableExists(db, "email_schedules")) return;
  const scheduleColumns = tableColumns(db, "email_schedules");
  for (const column of SCHEDULE_COLUMNS) {
    if (!scheduleColumns.has(column)) {
      throw new SchedulerError(
        `Cannot schedule organization ${orgId}: email_schedules.${column} is missing`,
      );
    }
  }
}

/** Counts contacts with a non-empty email: the N that chooses the size profile. */
export function countContactsWithEmail(db: DatabaseSync, orgId: number): number {
  if (!tableExists(db, "contacts")) {
    throw new SchedulerError(
      `Cannot count contacts of organization ${orgId}: table contacts is missing`,
    );
  }
  try {
    const row = db.prepare(
      "SELECT count(*) AS n FROM contacts WHERE email IS NOT NULL AND trim(email) <> ''",
    ).get();
    return Number(row?.n ?? 0);
  } catch (error) {
    throw new SchedulerError(
      `Cannot count contacts of organization ${orgId}: ${sqliteMessage(error)}`,
      { cause: error },
    );
  }
}
