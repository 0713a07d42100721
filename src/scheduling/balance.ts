import { type DayNumber, ymdFromDay } from "../rules/days.ts";
import { type ContactWindowRule, windowContaining } from "../rules/windows.ts";
import { extendedRange, MAX_MOVE_DAYS, strictRange } from "./allowed_range.ts";
import { stableHash } from "./hash.ts";
import { busiestStretch, type FrequencyOptions } from "./frequency.ts";
import { KIND_CODES } from "./plan_contact.ts";
import { PRIORITY_BY_KIND_CODE } from "./kind_codes.ts";
import {
  FLAG_KEPT,
  FLAG_KEPT_OUTSIDE_SPREAD,
  FLAG_MOVED,
  type PlanStore,
  STATUS_PRE_SCHEDULED,
} from "./plan_store.ts";

/** Options of `balancePlan`. */
export interface BalanceOptions {
  today: DayNumber;
  dailyCap: number;
  edDailyLimit: number;
  edSmoothingWindowDays: number;
  overageThreshold: number;
  catchUpSpreadDays: number;
  /** The sender's rows per day from today on: they fill days but never move. */
  senderLoad: ReadonlyMap<DayNumber, number>;
  /** The frequency limit, which no move may break (it was applied before balancing). */
  maxEmailsPerPeriod: number;
  frequencyPeriodDays: number;
}

/** Counts and leftovers of balancing. */
export interface BalanceResult {
  movedBySmoothing: number;
  movedByCap: number;
  /** Days still above ⌊cap × overage threshold⌋ because nothing on them could move. */
  overloadedDays: Array<{ day: DayNumber; load: number }>;
}

const ED = KIND_CODES.effective_date;
const POST_WINDOW = KIND_CODES.post_window;

/**
 * Evens out daily volume in place. First it spreads effective-date emails on days above the ED
 * limit by a stable jitter. Then it moves the lowest-priority movable emails off days above
 * ⌊cap × overage threshold⌋ to the nearest day with room, preferring earlier days. Moves stay in
 * each email's allowed range, out of the contact's exclusion windows and within the frequency
 * limit. Kept emails (dates from an earlier run) and skipped emails never move. Deterministic: no
 * randomness, no clock.
 */
export function balancePlan(plan: PlanStore, options: BalanceOptions): BalanceResult {
  const days = new DayLoad(plan, options);
  const movedBack = revisitWideKeeps(plan, days, options);
  const movedBySmoothing = smoothEffectiveDates(plan, days, options);
  const { moved, overloadedDays } = enforceDailyCap(plan, days, options);
  return { movedBySmoothing, movedByCap: moved + movedBack, overloadedDays };
}

/**
 * Moves emails whose kept date lies outside their catch-up spread back inside it when a day
 * there has room. The rest keep their date, and it stays fixed for the remaining steps.
 */
function revisitWideKeeps(plan: PlanStore, days: DayLoad, options: BalanceOptions): number {
  const { dailyCap, catchUpSpreadDays } = options;
  let moved = 0;
  for (let email = 0; email < plan.emailCount; email++) {
    if ((plan.flags[email] & FLAG_KEPT_OUTSIDE_SPREAD) === 0) continue;
    if (plan.status[email] !== STATUS_PRE_SCHEDULED) continue;
    const to = nearestDayWithRoom(plan, days, email, {
      dailyCap,
      spread: catchUpSpreadDays,
      frequency: frequencyOf(options),
      strictOnly: true,
    });
    if (to === undefined) continue;
    days.move(plan, email, to);
    plan.flags[email] &= ~(FLAG_KEPT | FLAG_KEPT_OUTSIDE_SPREAD);
    moved++;
  }
  return moved;
}

/** Emails per day from today on, indexed by days since today. */
class DayLoad {
  readonly today: DayNumber;
  readonly load: Int32Array;

  constructor(plan: PlanStore, options: BalanceOptions) {
    const { today, senderLoad } = options;
    let last = today;
    for (let email = 0; email < plan.emailCount; email++) {
      if (plan.status[email] === STATUS_PRE_SCHEDULED) {
        last = Math.max(last, plan.sendDay[email]);
      }
    }
    for (const day of senderLoad.keys()) last = Math.max(last, day);
    this.today = today;
    this.load = new Int32Array(last - today + MAX_MOVE_DAYS + 2);
    for (const [day, count] of senderLoad) if (day >= today) this.load[day - today] += count;
    for (let email = 0; email < plan.emailCount; email++) {
      if (plan.status[email] === STATUS_PRE_SCHEDULED) {
        this.load[plan.sendDay[email] - today]++;
      }
    }
  }

  move(plan: PlanStore, email: number, to: DayNumber): void {
    this.load[plan.sendDay[email] - this.today]--;
    this.load[to - this.today]++;
    plan.sendDay[email] = to;
    plan.flags[email] |= FLAG_MOVED;
  }
}

/** Returns pre-scheduled, movable email indices grouped by send day (ascending). */
function emailsByDay(
  plan: PlanStore,
  today: DayNumber,
  spanDays: number,
  accept: (email: number) => boolean,
): { start: Int32Array; emails: Int32Array } {
  const count = new Int32Array(spanDays + 1);
  const selected: number[] = [];
  for (let email = 0; email < plan.emailCount; email++) {
    if (!accept(email)) continue;
    selected.push(email);
    count[plan.sendDay[email] - today + 1]++;
  }
  for (let day = 1; day <= spanDays; day++) count[day] += count[day - 1];
  const start = count.slice();
  const emails = new Int32Array(selected.length);
  for (const email of selected) emails[count[plan.sendDay[email] - today]++] = email;
  return { start, emails };
}

function isMovable(plan: PlanStore, email: number): boolean {
  return plan.status[email] === STATUS_PRE_SCHEDULED &&
    (plan.flags[email] & FLAG_KEPT) === 0;
}

/** Spreads effective-date emails of days above the ED limit by ±⌊window / 2⌋ days. */
function smoothEffectiveDates(plan: PlanStore, days: DayLoad, options: BalanceOptions): number {
  const { today, edDailyLimit, edSmoothingWindowDays } = options;
  const halfWindow = Math.floor(edSmoothingWindowDays / 2);
  if (halfWindow === 0) return 0;

  const edCount = new Int32Array(days.load.length);
  for (let email = 0; email < plan.emailCount; email++) {
    if (plan.kind[email] === ED && plan.status[email] === STATUS_PRE_SCHEDULED) {
      edCount[plan.sendDay[email] - today]++;
    }
  }
  // Emails that the first step moved back inside their spread stay where it put them.
  const byDay = emailsByDay(
    plan,
    today,
    days.load.length,
    (email) =>
      plan.kind[email] === ED && isMovable(plan, email) &&
      (plan.flags[email] & FLAG_MOVED) === 0,
  );

  let moved = 0;
  for (let offset = 0; offset < days.load.length; offset++) {
    if (edCount[offset] <= edDailyLimit) continue;
    for (let i = byDay.start[offset]; i < byDay.start[offset + 1]; i++) {
      const email = byDay.emails[i];
      const eventDay = plan.eventDay[email];
      const contactId = plan.contactId[plan.contactIndex[email]];
      const jitter = stableHash(contactId, ED, yearOf(eventDay)) % (2 * halfWindow + 1) -
        halfWindow;
      const to = today + offset + jitter;
      // Smoothing evens out volume, so it never fills a day to or past the cap.
      if (jitter === 0 || days.load[to - today] >= options.dailyCap) continue;
      if (!canSendOn(plan, email, to, options)) continue;
      days.move(plan, email, to);
      edCount[offset]--;
      edCount[to - today]++;
      moved++;
    }
  }
  return moved;
}

/** Moves emails off days above the threshold until each is at the cap, where possible. */
function enforceDailyCap(plan: PlanStore, days: DayLoad, options: BalanceOptions) {
  const { today, dailyCap, overageThreshold, catchUpSpreadDays } = options;
  const threshold = Math.floor(dailyCap * overageThreshold + 1e-9);
  const byDay = emailsByDay(plan, today, days.load.length, (email) => isMovable(plan, email));

  let moved = 0;
  const overloadedDays: Array<{ day: DayNumber; load: number }> = [];
  for (let offset = 0; offset < days.load.length; offset++) {
    if (days.load[offset] <= threshold) continue;
    const candidates = inSheddingOrder(
      plan,
      byDay.emails.subarray(byDay.start[offset], byDay.start[offset + 1]),
    );
    for (const email of candidates) {
      if (days.load[offset] <= dailyCap) break;
      const to = nearestDayWithRoom(plan, days, email, {
        dailyCap,
        spread: catchUpSpreadDays,
        frequency: frequencyOf(options),
      });
      if (to === undefined) continue;
      days.move(plan, email, to);
      moved++;
    }
    if (days.load[offset] > threshold) {
      overloadedDays.push({ day: today + offset, load: days.load[offset] });
    }
  }
  return { moved, overloadedDays };
}

/**
 * Returns the emails in the order a crowded day sheds them: lowest priority first, ties broken by
 * a stable hash so that no range of contact ids is always the one moved. The sort key is computed
 * once per email, because a day of AEP emails can hold hundreds of thousands.
 */
function inSheddingOrder(plan: PlanStore, emails: Int32Array): Int32Array {
  const keys = new Float64Array(emails.length);
  emails.forEach((email, position) => {
    const hash = stableHash(
      plan.contactId[plan.contactIndex[email]],
      plan.kind[email],
      plan.eventDay[email],
    );
    // Priorities are below 100, so the key orders by priority first, then by hash.
    keys[position] = (100 - PRIORITY_BY_KIND_CODE[plan.kind[email]]) * 0x1_0000_0000 + hash;
  });
  const positions = new Int32Array(emails.length).map((_, position) => position);
  positions.sort((a, b) => keys[a] - keys[b] || a - b);
  return positions.map((position) => emails[position]);
}

/**
 * Returns the nearest day below the cap where `email` may go, earlier days first at equal
 * distance: inside its strict range if any day there has room, else inside its extended range.
 */
function nearestDayWithRoom(
  plan: PlanStore,
  days: DayLoad,
  email: number,
  options: {
    dailyCap: number;
    spread: number;
    frequency: FrequencyOptions;
    strictOnly?: boolean;
  },
): DayNumber | undefined {
  const { dailyCap, spread, frequency, strictOnly = false } = options;
  const from = plan.sendDay[email];
  const windowRule = plan.windowRuleOf(plan.contactIndex[email]);
  const shape = emailShape(plan, email);
  const strict = strictRange(shape, days.today, spread);
  const extended = extendedRange(shape, days.today);

  for (const range of strictOnly ? [strict] : [strict, extended]) {
    const reach = Math.max(from - range.lo, range.hi - from);
    for (let distance = 1; distance <= reach; distance++) {
      for (const to of [from - distance, from + distance]) {
        if (to < range.lo || to > range.hi) continue;
        if (days.load[to - days.today] >= dailyCap) continue;
        if (windowRule !== undefined && isInWindow(windowRule, to)) continue;
        if (!fitsFrequency(plan, email, to, frequency)) continue;
        return to;
      }
    }
  }
  return undefined;
}

function canSendOn(
  plan: PlanStore,
  email: number,
  day: DayNumber,
  options: BalanceOptions,
): boolean {
  const range = strictRange(emailShape(plan, email), options.today, options.catchUpSpreadDays);
  if (day < range.lo || day > range.hi) return false;
  const windowRule = plan.windowRuleOf(plan.contactIndex[email]);
  if (windowRule !== undefined && isInWindow(windowRule, day)) return false;
  return fitsFrequency(plan, email, day, frequencyOf(options));
}

function frequencyOf(options: BalanceOptions): FrequencyOptions {
  return {
    maxEmailsPerPeriod: options.maxEmailsPerPeriod,
    frequencyPeriodDays: options.frequencyPeriodDays,
  };
}

/**
 * Returns true when moving `email` to `day` keeps its contact within the frequency limit, counting
 * the contact's other pre-scheduled emails and the sender's rows.
 */
function fitsFrequency(
  plan: PlanStore,
  email: number,
  day: DayNumber,
  frequency: FrequencyOptions,
): boolean {
  const contact = plan.contactIndex[email];
  const others: number[] = [];
  for (let other = plan.emailStart[contact]; other < plan.emailEnd(contact); other++) {
    if (other !== email && plan.status[other] === STATUS_PRE_SCHEDULED) {
      others.push(plan.sendDay[other]);
    }
  }
  for (let i = plan.senderStart[contact]; i < plan.senderStart[contact + 1]; i++) {
    others.push(plan.senderDays[i]);
  }
  if (others.length < frequency.maxEmailsPerPeriod) return true;
  return busiestStretch(others, day, frequency.frequencyPeriodDays) <
    frequency.maxEmailsPerPeriod;
}

function emailShape(plan: PlanStore, email: number) {
  return {
    idealDay: plan.idealDay[email],
    eventDay: plan.eventDay[email],
    hasEventLimit: plan.kind[email] !== POST_WINDOW,
  };
}

function isInWindow(windowRule: ContactWindowRule, day: DayNumber): boolean {
  return windowContaining(windowRule, day) !== undefined;
}

function yearOf(day: DayNumber): number {
  return ymdFromDay(day).year;
}
