import { type DayNumber, parseIsoDay } from "../rules/days.ts";
import { parseStateCode, type StateCode } from "../rules/states.ts";
import { stateForZip } from "../rules/zip_codes.ts";

/** Source of a contact's state. */
export type StateSource = "column" | "zip" | "none";

/** A contact after intake: typed values, with every problem recorded instead of thrown. */
export interface Contact {
  readonly id: number;
  readonly emailValid: boolean;
  readonly state: StateCode | undefined;
  readonly stateSource: StateSource;
  /** The state column and the ZIP code name different states (the column wins). */
  readonly stateZipMismatch: boolean;
  readonly birthDate: DayNumber | undefined;
  readonly birthDateInvalid: boolean;
  readonly effectiveDate: DayNumber | undefined;
  readonly effectiveDateInvalid: boolean;
  /** The latest eligibility answer reports medical conditions. */
  readonly failedUnderwriting: boolean;
}

/** The contact columns the scheduler reads, in the order `readContacts` selects them. */
export type ContactRow = readonly [
  id: number,
  email: unknown,
  state: unknown,
  zipCode: unknown,
  birthDate: unknown,
  effectiveDate: unknown,
];

// One @, no spaces, and a dot in the domain with something on each side.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)*\.[^\s@.]+$/;

/** Turns a `contacts` row into a Contact, recording problems rather than failing. */
export function contactFromRow(row: ContactRow, failedUnderwriting = false): Contact {
  const [id, email, stateText, zipCode, birthText, effectiveText] = row;

  const columnState = parseStateCode(stateText);
  const zipState = stateForZip(zipCode);
  const state = columnState ?? zipState;
  const stateSource: StateSource = columnState !== undefined
    ? "column"
    : zipState !== undefined
    ? "zip"
    : "none";

  const birthDate = parseIsoDay(birthText);
  const effectiveDate = parseIsoDay(effectiveText);
  return {
    id,
    emailValid: typeof email === "string" && EMAIL_PATTERN.test(email.trim()),
    state,
    stateSource,
    stateZipMismatch: columnState !== undefined && zipState !== undefined &&
      columnState !== zipState,
    birthDate,
    birthDateInvalid: birthDate === undefined && isPresent(birthText),
    effectiveDate,
    effectiveDateInvalid: effectiveDate === undefined && isPresent(effectiveText),
    failedUnderwriting,
  };
}

function isPresent(value: unknown): boolean {
  return value !== null && value !== undefined;
}
