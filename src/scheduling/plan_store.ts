import type { DayNumber } from "../rules/days.ts";
import type { ContactWindowRule } from "../rules/windows.ts";
import { EXCLUSION_RULES, type ExclusionRule } from "../rules/exclusion_rules.ts";
import { GrowableFloat64, GrowableInt32, GrowableUint16, GrowableUint8 } from "./growable.ts";
import { KIND_CODES, type PlannedEmail } from "./plan_contact.ts";

/** Status codes in the compact plan. */
export const STATUS_PRE_SCHEDULED = 0;
export const STATUS_SKIPPED = 1;

/** Skip reason codes in the compact plan; index 0 is "no reason". */
export const REASON_CODES = [
  "",
  "year_round",
  "birthday_window",
  "effective_date_window",
  "frequency_limit",
] as const;
export const REASON_FREQUENCY_LIMIT = 4;

/** Flag bits of an email in the compact plan. */
export const FLAG_KEPT = 1;
export const FLAG_MOVED = 2;
export const FLAG_KEPT_OUTSIDE_SPREAD = 4;

const RULE_LIST: readonly ExclusionRule[] = Object.values(EXCLUSION_RULES) as ExclusionRule[];
const NO_RULE = 255;

/** Sentinel for "no date" in day arrays. */
export const NO_DAY = -2147483648;

/**
 * The whole plan of one run in columns of typed arrays: one entry per email, plus the few facts
 * per contact that balancing and the frequency limit need. Millions of emails fit in a few
 * hundred megabytes this way, where objects would take several times that.
 */
export class PlanStore {
  // Per email.
  readonly contactIndex = new GrowableInt32();
  readonly kind = new GrowableUint8();
  readonly status = new GrowableUint8();
  readonly reason = new GrowableUint8();
  readonly flags = new GrowableUint8();
  readonly sendDay = new GrowableInt32();
  readonly idealDay = new GrowableInt32();
  readonly eventDay = new GrowableInt32();
  /** Id of the earlier row for the same contact, kind and event, or 0. */
  readonly existingId = new GrowableFloat64();

  // Per contact.
  readonly contactId = new GrowableFloat64();
  readonly ruleCode = new GrowableUint8();
  readonly anchorMonth = new GrowableUint8();
  readonly anchorDay = new GrowableUint8();
  readonly bufferDays = new GrowableUint16();
  /** Index of each contact's first email; a contact's emails are contiguous. */
  readonly emailStart = new GrowableInt32();
  /** Start of each contact's entries in `senderDays`; one more entry than there are contacts. */
  readonly senderStart = new GrowableInt32();
  /** Dates of the sender's rows that count for the frequency limit. */
  readonly senderDays = new GrowableInt32();

  constructor() {
    this.senderStart.push(0);
  }

  get emailCount(): number {
    return this.kind.length;
  }

  get contactCount(): number {
    return this.contactId.length;
  }

  /** Adds a contact with its window rule and the sender's row dates; returns its index. */
  addContact(id: number, windowRule: ContactWindowRule | undefined, senderDays: DayNumber[]) {
    const index = this.contactId.length;
    this.contactId.push(id);
    this.emailStart.push(this.kind.length);
    if (windowRule === undefined) {
      this.ruleCode.push(NO_RULE);
      this.anchorMonth.push(0);
      this.anchorDay.push(0);
      this.bufferDays.push(0);
    } else {
      this.ruleCode.push(RULE_LIST.indexOf(windowRule.rule));
      this.anchorMonth.push(windowRule.anchorMonth);
      this.anchorDay.push(windowRule.anchorDay);
      this.bufferDays.push(windowRule.bufferDays);
    }
    for (const day of senderDays) this.senderDays.push(day);
    this.senderStart.push(this.senderDays.length);
    return index;
  }

  /** Adds one email of the contact at `contactIndex`. */
  addEmail(contactIndex: number, email: PlannedEmail, existingId: number): void {
    this.contactIndex.push(contactIndex);
    this.kind.push(KIND_CODES[email.kind]);
    this.status.push(email.status === "skipped" ? STATUS_SKIPPED : STATUS_PRE_SCHEDULED);
    this.reason.push(email.skipReason === undefined ? 0 : REASON_CODES.indexOf(email.skipReason));
    this.flags.push(
      (email.kept ? FLAG_KEPT : 0) | (email.keptOutsideSpread ? FLAG_KEPT_OUTSIDE_SPREAD : 0),
    );
    this.sendDay.push(email.sendDay);
    this.idealDay.push(email.idealDay);
    this.eventDay.push(email.eventDay);
    this.existingId.push(existingId);
  }

  /** Returns the index after the last email of the contact at `contactIndex`. */
  emailEnd(contactIndex: number): number {
    return contactIndex + 1 < this.contactId.length
      ? this.emailStart.data[contactIndex + 1]
      : this.kind.length;
  }

  /** Returns the window rule of the contact at `contactIndex`, or undefined when it has none. */
  windowRuleOf(contactIndex: number): ContactWindowRule | undefined {
    const code = this.ruleCode.data[contactIndex];
    if (code === NO_RULE) return undefined;
    return {
      rule: RULE_LIST[code],
      anchorMonth: this.anchorMonth.data[contactIndex],
      anchorDay: this.anchorDay.data[contactIndex],
      bufferDays: this.bufferDays.data[contactIndex],
    };
  }
}
