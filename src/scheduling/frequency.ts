import { PRIORITY_BY_KIND_CODE } from "./kind_codes.ts";
import {
  type PlanStore,
  REASON_FREQUENCY_LIMIT,
  STATUS_PRE_SCHEDULED,
  STATUS_SKIPPED,
} from "./plan_store.ts";

/** Options of `applyFrequencyLimit`. */
export interface FrequencyOptions {
  maxEmailsPerPeriod: number;
  frequencyPeriodDays: number;
}

/**
 * Enforces the frequency limit on every contact: in any stretch of `frequencyPeriodDays` days, a
 * contact has at most `maxEmailsPerPeriod` emails, counting the sender's rows. Emails are admitted
 * by priority, then date, then kind; the rest become skipped with reason `frequency_limit`.
 * Returns the number of emails skipped.
 */
export function applyFrequencyLimit(plan: PlanStore, options: FrequencyOptions): number {
  const { maxEmailsPerPeriod: max, frequencyPeriodDays: period } = options;
  const status = plan.status;
  const reason = plan.reason;
  const kind = plan.kind;
  const sendDay = plan.sendDay;
  const senderStart = plan.senderStart;
  const senderDays = plan.senderDays;

  let skipped = 0;
  const candidates: number[] = [];
  const admitted: number[] = [];
  for (let contact = 0; contact < plan.contactCount; contact++) {
    candidates.length = 0;
    for (let email = plan.emailStart[contact]; email < plan.emailEnd(contact); email++) {
      if (status[email] === STATUS_PRE_SCHEDULED) candidates.push(email);
    }
    const senderCount = senderStart[contact + 1] - senderStart[contact];
    if (candidates.length + senderCount <= max) continue;

    candidates.sort((a, b) =>
      PRIORITY_BY_KIND_CODE[kind[a]] - PRIORITY_BY_KIND_CODE[kind[b]] ||
      sendDay[a] - sendDay[b] || kind[a] - kind[b]
    );
    admitted.length = 0;
    for (let i = senderStart[contact]; i < senderStart[contact + 1]; i++) {
      admitted.push(senderDays[i]);
    }
    for (const email of candidates) {
      if (busiestStretch(admitted, sendDay[email], period) < max) {
        admitted.push(sendDay[email]);
      } else {
        status[email] = STATUS_SKIPPED;
        reason[email] = REASON_FREQUENCY_LIMIT;
        skipped++;
      }
    }
  }
  return skipped;
}

/**
 * Returns the largest number of `days` in any stretch of `period` days that contains `day`.
 * Such a stretch can start at `day` or at one of `days` up to `period − 1` days before it.
 */
export function busiestStretch(days: readonly number[], day: number, period: number): number {
  let busiest = 0;
  const starts = [day, ...days.filter((other) => other <= day && other > day - period)];
  for (const start of starts) {
    let count = 0;
    for (const other of days) if (other >= start && other < start + period) count++;
    busiest = Math.max(busiest, count);
  }
  return busiest;
}
