import type { DayNumber } from "../rules/days.ts";
import { formatDay } from "../rules/days.ts";
import type { WriteCounts } from "../db/plan_writer.ts";
import { KINDS_BY_CODE } from "./plan_contact.ts";
import { type PlanStore, REASON_CODES, STATUS_PRE_SCHEDULED } from "./plan_store.ts";

/** Summary of one run, for the CLI output, `--json` and the `scheduler_runs` row. */
export interface RunSummary {
  runId: string;
  orgId: number;
  today: string;
  dryRun: boolean;
  contactsRead: number;
  rows: WriteCounts & { history_kept: number };
  /** Emails of the new plan by kind and status. */
  planned: Record<string, { "pre-scheduled": number; skipped: number }>;
  skippedByReason: Record<string, number>;
  invalidByReason: Record<string, number>;
  /** Emails left out because the sender already has a row for that event or date. */
  leftForSender: { same_event: number; same_date: number };
  balancing: { moved_by_smoothing: number; moved_by_cap: number; daily_cap: number };
  busiestDays: Array<{ date: string; emails: number }>;
  /** Days still above ⌊cap × overage threshold⌋ because nothing on them could move. */
  overloadedDays: Array<{ date: string; emails: number }>;
  timingsMs: Record<string, number>;
}

/** Counts the plan's emails by kind and status, and skipped emails by reason. */
export function countPlan(plan: PlanStore) {
  const planned: RunSummary["planned"] = {};
  const skippedByReason: Record<string, number> = {};
  for (const kind of KINDS_BY_CODE) planned[kind] = { "pre-scheduled": 0, skipped: 0 };
  for (let email = 0; email < plan.emailCount; email++) {
    const kind = KINDS_BY_CODE[plan.kind[email]];
    if (plan.status[email] === STATUS_PRE_SCHEDULED) {
      planned[kind]["pre-scheduled"]++;
    } else {
      planned[kind].skipped++;
      const reason = REASON_CODES[plan.reason[email]];
      skippedByReason[reason] = (skippedByReason[reason] ?? 0) + 1;
    }
  }
  return { planned, skippedByReason };
}

/** Returns the `count` days with the most emails (the plan's plus the sender's), busiest first. */
export function busiestDays(
  plan: PlanStore,
  senderLoad: ReadonlyMap<DayNumber, number>,
  count: number,
): Array<{ date: string; emails: number }> {
  const load = new Map(senderLoad);
  for (let email = 0; email < plan.emailCount; email++) {
    if (plan.status[email] !== STATUS_PRE_SCHEDULED) continue;
    const day = plan.sendDay[email];
    load.set(day, (load.get(day) ?? 0) + 1);
  }
  return [...load.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, count)
    .map(([day, emails]) => ({ date: formatDay(day), emails }));
}
