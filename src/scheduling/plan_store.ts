import type { DayNumber } from "../rules/days.ts";
import type { ContactWindowRule } from "../rules/windows.ts";
import { EXCLUSION_RULES, type ExclusionRule } from "../rules/exclusion_rules.ts";
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

/** Emails per contact to reserve room for at the start of a run. */
const EMAILS_PER_CONTACT = 3.5;

/**
 * The whole plan of one run in columns of typed arrays: one entry per email, plus the few facts
 * per contact that balancing and the frequency limit need. Millions of emails fit in a few
 * hundred megabytes this way, where objects would take several times that. The columns of one
 * kind share a capacity and grow together, so adding an email is a handful of array stores.
 */
export class PlanStore {
  // Per email; valid up to `emailCount`.
  contactIndex = new Int32Array(0);
  kind = new Uint8Array(0);
  status = new Uint8Array(0);
  reason = new Uint8Array(0);
  flags = new Uint8Array(0);
  sendDay = new Int32Array(0);
  idealDay = new Int32Array(0);
  eventDay = new Int32Array(0);
  /** Id of the earlier row for the same contact, kind and event, or 0. */
  existingId = new Float64Array(0);
  /** The earlier row's date, and its status, reason and changed fields (see ExistingSnapshot). */
  existingDay = new Int32Array(0);
  existingCode = new Uint8Array(0);
  /** 32-bit hash of the earlier row's metadata, 0 for NULL. */
  existingMetadataHash = new Uint32Array(0);
  emailCount = 0;

  // Per contact; valid up to `contactCount`.
  contactId = new Float64Array(0);
  ruleCode = new Uint8Array(0);
  anchorMonth = new Uint8Array(0);
  anchorDay = new Uint8Array(0);
  bufferDays = new Uint16Array(0);
  /** Index of each contact's first email; a contact's emails are contiguous. */
  emailStart = new Int32Array(0);
  /** Start of each contact's entries in `senderDays`; valid up to `contactCount + 1`. */
  senderStart = new Int32Array(1);
  /** Dates of the sender's rows that count for the frequency limit. */
  senderDays = new Int32Array(0);
  contactCount = 0;
  #senderDayCount = 0;

  /** Creates an empty plan with room for about `expectedContacts` contacts and their emails. */
  constructor(expectedContacts = 1024) {
    // Generated agencies average 3.2 emails per contact; growing later copies every column.
    this.#growEmails(Math.ceil(expectedContacts * EMAILS_PER_CONTACT));
    this.#growContacts(expectedContacts);
    this.#growSenderDays(1024);
  }

  /** Adds a contact with its window rule and the sender's row dates; returns its index. */
  addContact(id: number, windowRule: ContactWindowRule | undefined, senderDays: DayNumber[]) {
    const index = this.contactCount;
    if (index + 1 >= this.contactId.length) this.#growContacts(2 * this.contactId.length);
    this.contactId[index] = id;
    this.emailStart[index] = this.emailCount;
    if (windowRule === undefined) {
      this.ruleCode[index] = NO_RULE;
    } else {
      this.ruleCode[index] = RULE_LIST.indexOf(windowRule.rule);
      this.anchorMonth[index] = windowRule.anchorMonth;
      this.anchorDay[index] = windowRule.anchorDay;
      this.bufferDays[index] = windowRule.bufferDays;
    }
    for (const day of senderDays) {
      if (this.#senderDayCount === this.senderDays.length) {
        this.#growSenderDays(2 * this.senderDays.length);
      }
      this.senderDays[this.#senderDayCount++] = day;
    }
    this.senderStart[index + 1] = this.#senderDayCount;
    this.contactCount++;
    return index;
  }

  /** Adds one email of the contact at `contactIndex`; the earlier row's columns start at 0. */
  addEmail(contactIndex: number, email: PlannedEmail, existingId: number): void {
    const index = this.emailCount;
    if (index === this.kind.length) this.#growEmails(Math.ceil(1.5 * this.kind.length));
    this.contactIndex[index] = contactIndex;
    this.kind[index] = KIND_CODES[email.kind];
    this.status[index] = email.status === "skipped" ? STATUS_SKIPPED : STATUS_PRE_SCHEDULED;
    this.reason[index] = email.skipReason === undefined
      ? 0
      : REASON_CODES.indexOf(email.skipReason);
    this.flags[index] = (email.kept ? FLAG_KEPT : 0) |
      (email.keptOutsideSpread ? FLAG_KEPT_OUTSIDE_SPREAD : 0);
    this.sendDay[index] = email.sendDay;
    this.idealDay[index] = email.idealDay;
    this.eventDay[index] = email.eventDay;
    this.existingId[index] = existingId;
    this.existingDay[index] = 0;
    this.existingCode[index] = 0;
    this.existingMetadataHash[index] = 0;
    this.emailCount++;
  }

  /** Returns the index after the last email of the contact at `contactIndex`. */
  emailEnd(contactIndex: number): number {
    return contactIndex + 1 < this.contactCount
      ? this.emailStart[contactIndex + 1]
      : this.emailCount;
  }

  /** Returns the window rule of the contact at `contactIndex`, or undefined when it has none. */
  windowRuleOf(contactIndex: number): ContactWindowRule | undefined {
    const code = this.ruleCode[contactIndex];
    if (code === NO_RULE) return undefined;
    return {
      rule: RULE_LIST[code],
      anchorMonth: this.anchorMonth[contactIndex],
      anchorDay: this.anchorDay[contactIndex],
      bufferDays: this.bufferDays[contactIndex],
    };
  }

  #growEmails(capacity: number): void {
    this.contactIndex = grown(this.contactIndex, capacity);
    this.kind = grown(this.kind, capacity);
    this.status = grown(this.status, capacity);
    this.reason = grown(this.reason, capacity);
    this.flags = grown(this.flags, capacity);
    this.sendDay = grown(this.sendDay, capacity);
    this.idealDay = grown(this.idealDay, capacity);
    this.eventDay = grown(this.eventDay, capacity);
    this.existingId = grown(this.existingId, capacity);
    this.existingDay = grown(this.existingDay, capacity);
    this.existingCode = grown(this.existingCode, capacity);
    this.existingMetadataHash = grown(this.existingMetadataHash, capacity);
  }

  #growContacts(capacity: number): void {
    this.contactId = grown(this.contactId, capacity);
    this.ruleCode = grown(this.ruleCode, capacity);
    this.anchorMonth = grown(this.anchorMonth, capacity);
    this.anchorDay = grown(this.anchorDay, capacity);
    this.bufferDays = grown(this.bufferDays, capacity);
    this.emailStart = grown(this.emailStart, capacity);
    this.senderStart = grown(this.senderStart, capacity + 1);
  }

  #growSenderDays(capacity: number): void {
    this.senderDays = grown(this.senderDays, capacity);
  }
}

/** Returns a copy of `array` with room for `capacity` elements (at least 16). */
function grown<T extends Int32Array | Uint8Array | Uint16Array | Uint32Array | Float64Array>(
  array: T,
  capacity: number,
): T {
  const next = new (array.constructor as { new (length: number): T })(Math.max(16, capacity));
  next.set(array as never);
  return next;
}
