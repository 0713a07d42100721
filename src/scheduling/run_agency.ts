import type { DatabaseSync } from "node:sqlite";
import type { AgencyConfig } from "../config/agency_config.ts";
import { SchedulerError } from "../errors.ts";
import { applyMigrations } from "../db/migrate.ts";
import { checkOrgSchema, openOrgDatabase } from "../db/org.ts";
import { isBusyError, isDamagedFileError, sqliteMessage } from "../db/sqlite.ts";
import {
  ContactReader,
  readSenderLoad,
  ScheduleRowReader,
  UnderwritingReader,
} from "../db/schedule_rows.ts";
import { writePlan } from "../db/plan_writer.ts";
import { finishRunRecord, recordFailedRun, startRunRecord } from "../db/run_records.ts";
import { dayFromPlainDate, type DayNumber, formatDay } from "../rules/days.ts";
import { balancePlan } from "./balance.ts";
import { contactFromRow, type ContactRow } from "./contact.ts";
import {
  existingDayLookup,
  ExistingSnapshot,
  historyWindows,
  NO_ROWS,
  ownedRowFor,
  senderBlocks,
  sortContactRows,
} from "./existing_rows.ts";
import { applyFrequencyLimit } from "./frequency.ts";
import { planContact } from "./plan_contact.ts";
import { PlanStore } from "./plan_store.ts";
import { busiestDays, countPlan, type RunSummary } from "./run_summary.ts";
import type { ExistingRow } from "../db/schedule_rows.ts";

/** Phases of a run, in order. */
export type RunPhase = "reading" | "frequency" | "balancing" | "writing" | "committing";

/** Options of `runAgency`. */
export interface RunOptions {
  /** The plan's date, in the agency's time zone. */
  today: Temporal.PlainDate;
  /** Compute and report, then roll back: the database is left as it was. */
  dryRun?: boolean;
  /** The run's start, for the run id and timestamps. */
  startedAt: Temporal.Instant;
  /** Called after each batch of contacts, for progress output. */
  onProgress?: (contactsRead: number) => void;
  /** Called when a phase starts: reading, frequency limit, balancing, writing, committing. */
  onPhase?: (phase: RunPhase) => void;
  /** Returns a monotonic time in milliseconds, for the time split. */
  clock?: () => number;
}

/**
 * Runs the scheduler for one agency: reads its contacts in batches, plans every contact's emails,
 * balances daily volume, applies the frequency limit and reconciles `email_schedules`, all in one
 * transaction. A failure rolls everything back, so the database is left as it was.
 */
export function runAgency(config: AgencyConfig, options: RunOptions): RunSummary {
  const { today, dryRun = false, startedAt } = options;
  // Unique even for two runs started in the same millisecond, as tests with a pinned clock do.
  const runId = `${config.orgId}-${today.toString()}-${crypto.randomUUID().slice(0, 8)}`;
  const db = openOrgDatabase(config.dbPath, config.orgId);
  try {
    beginRun(db, config.orgId);
    try {
      const summary = runInTransaction(db, config, { ...options, runId });
      options.onPhase?.("committing");
      if (dryRun) db.exec("ROLLBACK");
      else db.exec("COMMIT");
      return summary;
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      // A locked or damaged file takes no record of the failure: writing could only make it worse.
      const recordable = !isBusyError(error) && !isDamagedFileError(error);
      if (!dryRun && !(error instanceof SchedulerError) && recordable) {
        recordFailedRun(db, { runId, orgId: config.orgId, today, startedAt, error });
      }
      if (error instanceof SchedulerError) throw error;
      throw new SchedulerError(
        `Run failed for organization ${config.orgId}: ${sqliteMessage(error)}: ${config.dbPath}`,
        { exitCode: 1, cause: error },
      );
    }
  } finally {
    db.close();
  }
}

/** Takes the write lock at once, or fails at once when another run or writer holds it. */
function beginRun(db: DatabaseSync, orgId: number): void {
  try {
    db.exec("PRAGMA busy_timeout = 0");
    db.exec("BEGIN IMMEDIATE");
  } catch (error) {
    if (isBusyError(error)) {
      throw new SchedulerError(
        `Cannot schedule organization ${orgId}: its database is locked by another run or writer; try again later`,
        { exitCode: 1, cause: error },
      );
    }
    throw new SchedulerError(
      `Cannot schedule organization ${orgId}: ${sqliteMessage(error)}`,
      { exitCode: 1, cause: error },
    );
  }
  // Holding the lock, wait for readers at COMMIT instead of failing.
  db.exec("PRAGMA busy_timeout = 30000");
  // A larger page cache keeps index pages of email_schedules in memory during the write.
  db.exec("PRAGMA cache_size = -65536");
}

function runInTransaction(
  db: DatabaseSync,
  config: AgencyConfig,
  options: RunOptions & { runId: string },
): RunSummary {
  const { today, dryRun = false, startedAt, runId, onProgress, onPhase } = options;
  const clock = options.clock ?? (() => performance.now());
  const timings: Record<string, number> = {};
  const started = clock();
  const todayDay = dayFromPlainDate(today);

  applyMigrations(db, "org");
  checkOrgSchema(db, config.orgId);
  startRunRecord(db, { runId, orgId: config.orgId, today, startedAt, config });
  const senderLoad = readSenderLoad(db, todayDay);

  onPhase?.("reading");
  const plan = new PlanStore(config.contactCount);
  const existing = new ExistingSnapshot();
  const invalidByReason: Record<string, number> = {};
  const contactsRead = readAndPlan(db, config, {
    todayDay,
    plan,
    existing,
    invalidByReason,
    timings,
    clock,
    onProgress,
  });

  // The frequency limit comes first, so balancing works on the final set of emails and the days
  // it finds full stay full. Balancing then never moves an email where it would break the limit.
  onPhase?.("frequency");
  let phase = clock();
  applyFrequencyLimit(plan, config);
  timings.frequency = clock() - phase;

  onPhase?.("balancing");
  phase = clock();
  const balance = balancePlan(plan, {
    today: todayDay,
    dailyCap: config.dailyCap,
    edDailyLimit: config.edDailyLimit,
    edSmoothingWindowDays: config.edSmoothingWindowDays,
    overageThreshold: config.overageThreshold,
    catchUpSpreadDays: config.catchUpSpreadDays,
    senderLoad,
    maxEmailsPerPeriod: config.maxEmailsPerPeriod,
    frequencyPeriodDays: config.frequencyPeriodDays,
  });
  timings.balance = clock() - phase;

  onPhase?.("writing");
  phase = clock();
  const timestamp = startedAt.toString({ smallestUnit: "second" }).replace("T", " ").replace(
    "Z",
    "",
  );
  const counts = writePlan(db, plan, {
    runId,
    timestamp,
    sendTime: config.sendTime,
    existing,
    deleteIds: existing.deleteIds,
  });
  timings.write = clock() - phase;
  timings.total = clock() - started;

  const { planned, skippedByReason } = countPlan(plan);
  const summary: RunSummary = {
    runId,
    orgId: config.orgId,
    today: today.toString(),
    dryRun,
    contactsRead,
    rows: { ...counts, history_kept: existing.historyKept },
    planned,
    skippedByReason,
    invalidByReason,
    leftForSender: { same_event: existing.senderHasEvent, same_date: existing.senderHasDate },
    balancing: {
      moved_by_smoothing: balance.movedBySmoothing,
      moved_by_cap: balance.movedByCap,
      daily_cap: config.dailyCap,
    },
    busiestDays: busiestDays(plan, senderLoad, 5),
    overloadedDays: balance.overloadedDays.map(({ day, load }) => ({
      date: formatDay(day),
      emails: load,
    })),
    timingsMs: Object.fromEntries(
      Object.entries(timings).map(([name, ms]) => [name, Math.round(ms)]),
    ),
  };
  finishRunRecord(db, {
    runId,
    summary,
    finishedAt: startedAt.add({ milliseconds: Math.round(timings.total) }),
  });
  return summary;
}

interface ReadState {
  todayDay: DayNumber;
  plan: PlanStore;
  existing: ExistingSnapshot;
  invalidByReason: Record<string, number>;
  timings: Record<string, number>;
  clock: () => number;
  onProgress?: (contactsRead: number) => void;
}

/** Streams contacts in batches and plans each one; returns the number of contacts read. */
function readAndPlan(db: DatabaseSync, config: AgencyConfig, state: ReadState): number {
  const { todayDay, plan, existing, invalidByReason, timings, clock, onProgress } = state;
  const contacts = new ContactReader(db, config.batchSize);
  const scheduleRows = new ScheduleRowReader(db, config.sendTime);
  const underwriting = new UnderwritingReader(db, config.excludeFailedUnderwritingGlobal);
  timings.read = 0;
  timings.plan = 0;

  let contactsRead = 0;
  let previousLastId = Number.MIN_SAFE_INTEGER;
  for (;;) {
    let phase = clock();
    const batch = contacts.next();
    // The id ranges of consecutive batches touch, and the last one runs to the largest id, so
    // rows of deleted contacts are read too and get reconciled away.
    const firstId = previousLastId === Number.MIN_SAFE_INTEGER
      ? previousLastId
      : previousLastId + 1;
    const lastId = contacts.done ? Number.MAX_SAFE_INTEGER : Number(batch[batch.length - 1][0]);
    const rows = scheduleRows.read(firstId, lastId);
    const failed = underwriting.read(firstId, lastId);
    timings.read += clock() - phase;

    phase = clock();
    planBatch(batch, rows, failed, { config, todayDay, plan, existing, invalidByReason });
    timings.plan += clock() - phase;

    contactsRead += batch.length;
    previousLastId = lastId;
    onProgress?.(contactsRead);
    if (contacts.done) return contactsRead;
  }
}

function planBatch(
  batch: readonly ContactRow[],
  rows: readonly ExistingRow[],
  failed: ReadonlySet<number>,
  state: Pick<ReadState, "todayDay" | "plan" | "existing" | "invalidByReason"> & {
    config: AgencyConfig;
  },
): void {
  const { config, todayDay, plan, existing, invalidByReason } = state;
  const sortOptions = { today: todayDay, frequencyPeriodDays: config.frequencyPeriodDays };
  const rowsByContact = new Map<number, ExistingRow[]>();
  for (const row of rows) {
    const list = rowsByContact.get(row.contactId);
    if (list === undefined) rowsByContact.set(row.contactId, [row]);
    else list.push(row);
  }

  for (const raw of batch) {
    const contact = contactFromRow(raw, failed.has(Number(raw[0])));
    const ownRows = rowsByContact.get(contact.id);
    rowsByContact.delete(contact.id);
    const contactRows = ownRows === undefined ? NO_ROWS : sortContactRows(ownRows, sortOptions);
    const result = planContact(contact, config, {
      today: todayDay,
      existingDay: existingDayLookup(contactRows),
      earlierWindows: historyWindows(contactRows, todayDay),
    });
    for (const problem of result.problems) {
      invalidByReason[problem] = (invalidByReason[problem] ?? 0) + 1;
    }

    const contactIndex = plan.addContact(contact.id, result.windowRule, contactRows.senderDays);
    const matched: ExistingRow[] = [];
    for (const email of result.emails) {
      const blocked = senderBlocks(contactRows, email);
      if (blocked === "event") existing.senderHasEvent++;
      if (blocked === "date") existing.senderHasDate++;
      if (blocked !== undefined) continue;
      const row = ownedRowFor(contactRows, email);
      if (row !== undefined) matched.push(row);
      plan.addEmail(contactIndex, email, row?.id ?? 0);
      if (row !== undefined) existing.record(plan, plan.emailCount - 1, row);
    }
    for (const row of contactRows.owned) {
      if (!matched.includes(row)) existing.deleteUnlessHistory(row, todayDay);
    }
    for (const row of contactRows.extraOwned) existing.deleteUnlessHistory(row, todayDay);
  }

  // Rows of contacts that no longer exist: nothing plans them, so they are removed.
  for (const orphanRows of rowsByContact.values()) {
    const sorted = sortContactRows(orphanRows, sortOptions);
    for (const row of sorted.owned) existing.deleteUnlessHistory(row, todayDay);
    for (const row of sorted.extraOwned) existing.deleteUnlessHistory(row, todayDay);
  }
}
