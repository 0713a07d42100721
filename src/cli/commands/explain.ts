import type { DatabaseSync } from "node:sqlite";
import type { Command } from "../command.ts";
import {
  expectPositionals,
  parseFlags,
  parseOrgId,
  parsePositiveInteger,
  parseTodayFlag,
} from "../args.ts";
import { SchedulerError } from "../../errors.ts";
import { loadAgencyConfig } from "../../config/load_config.ts";
import type { AgencyConfig } from "../../config/agency_config.ts";
import { checkOrgSchema, openOrgDatabase } from "../../db/org.ts";
import { ScheduleRowReader, UnderwritingReader } from "../../db/schedule_rows.ts";
import { returnArrays, tableExists } from "../../db/sqlite.ts";
import { dayFromPlainDate, formatDay } from "../../rules/days.ts";
import { exclusionRuleFor } from "../../rules/exclusion_rules.ts";
import { windowOfYear } from "../../rules/windows.ts";
import { stateForZip } from "../../rules/zip_codes.ts";
import { contactFromRow, type ContactRow } from "../../scheduling/contact.ts";
import { planContact, type PlannedEmail } from "../../scheduling/plan_contact.ts";
import {
  existingDayLookup,
  historyWindows,
  sortContactRows,
} from "../../scheduling/existing_rows.ts";

export const explainCommand: Command = {
  name: "explain",
  usage: "explain <org-id> <contact-id> [--today DATE]",
  summary: "Show how one contact is planned: state, windows, and each email's date and status.",
  help: [
    "Reads the contact and its email_schedules rows (read-only) and prints how its state was found,",
    "its exclusion windows for the years around today, the emails the rules give it and why, and",
    "the rows the last run wrote. The contact's email address and birth date are not printed.",
    "",
    "  --today DATE   explain as of DATE (YYYY-MM-DD); default: today in the agency's time zone",
  ],
  run(args, context) {
    const { values, positionals } = parseFlags("explain", args, { today: { type: "string" } });
    expectPositionals("explain", positionals, ["<org-id>", "<contact-id>"]);
    const orgId = parseOrgId("explain", positionals[0]);
    const contactId = parsePositiveInteger("explain", "contact-id", positionals[1]);
    const config = loadAgencyConfig(context.env, orgId);
    const today = parseTodayFlag("explain", values.today) ??
      context.now().toZonedDateTimeISO(config.timezone).toPlainDate();

    const db = openOrgDatabase(config.dbPath, orgId, { readOnly: true });
    try {
      checkOrgSchema(db, orgId);
      for (const line of explainContact(db, config, { contactId, today })) {
        context.output.print(line);
      }
    } finally {
      db.close();
    }
    return 0;
  },
};

function explainContact(
  db: DatabaseSync,
  config: AgencyConfig,
  options: { contactId: number; today: Temporal.PlainDate },
): string[] {
  const { contactId, today } = options;
  const statement = returnArrays(db.prepare(
    "SELECT id, email, state, zip_code, birth_date, effective_date FROM contacts WHERE id = ?",
  ));
  const raw = statement.get(contactId) as unknown as ContactRow | undefined;
  if (raw === undefined) {
    throw new SchedulerError(
      `Cannot explain contact ${contactId} of organization ${config.orgId}: not found`,
    );
  }
  const failed = new UnderwritingReader(db, true).read(contactId, contactId).has(contactId);
  const contact = contactFromRow(raw, failed);
  const todayDay = dayFromPlainDate(today);
  const rows = tableExists(db, "email_schedules")
    ? new ScheduleRowReader(db, config.sendTime).read(contactId, contactId)
    : [];
  const sorted = sortContactRows(rows, {
    today: todayDay,
    frequencyPeriodDays: config.frequencyPeriodDays,
  });
  const plan = planContact(contact, config, {
    today: todayDay,
    existingDay: existingDayLookup(sorted),
    earlierWindows: historyWindows(sorted, todayDay),
  });

  const lines = [`Contact ${contactId} of organization ${config.orgId}, as of ${today}`];
  lines.push(`  email            ${contact.emailValid ? "valid" : "invalid: gets no emails"}`);
  lines.push(`  state            ${describeState(contact, raw)}`);
  lines.push(`  birth date       ${describeDate(contact.birthDate, contact.birthDateInvalid)}`);
  lines.push(
    `  effective date   ${describeDate(contact.effectiveDate, contact.effectiveDateInvalid)}`,
  );
  if (config.excludeFailedUnderwritingGlobal) {
    lines.push(
      `  underwriting     ${failed ? "failed: no birthday or effective-date emails" : "ok"}`,
    );
  }
  lines.push(...describeWindows(contact.state, plan.windowRule, today.year));
  if (plan.problems.length > 0) lines.push(`  problems         ${plan.problems.join(", ")}`);

  lines.push("  emails the rules give (a run may still move or skip them to balance days and");
  lines.push("  to respect the frequency limit; the rows below show what the last run wrote):");
  if (plan.emails.length === 0) lines.push("    none");
  for (const email of plan.emails) lines.push(`    ${describeEmail(email)}`);

  lines.push("  rows in email_schedules:");
  if (rows.length === 0) lines.push("    none");
  for (const row of rows) {
    const reason = row.skipReason === null ? "" : ` (${row.skipReason})`;
    const event = row.eventDay === undefined ? "" : `, event ${formatDay(row.eventDay)}`;
    const date = row.sendDay === undefined ? "invalid date" : formatDay(row.sendDay);
    lines.push(`    #${row.id} ${row.emailType} ${date} ${row.status}${reason}${event}`);
  }
  return lines;
}

function describeState(contact: ReturnType<typeof contactFromRow>, raw: ContactRow): string {
  if (contact.state === undefined) {
    return "unknown (no valid state column and no ZIP code of a known state)";
  }
  const source = contact.stateSource === "column" ? "from the state column" : "from the ZIP code";
  const zipState = stateForZip(raw[3]);
  const mismatch = contact.stateZipMismatch
    ? `; the ZIP code is in ${zipState}, the column wins`
    : "";
  return `${contact.state} (${source}${mismatch})`;
}

function describeDate(day: number | undefined, invalid: boolean): string {
  if (day !== undefined) return "valid";
  return invalid ? "invalid: treated as absent" : "absent";
}

function describeWindows(
  state: string | undefined,
  windowRule: ReturnType<typeof planContact>["windowRule"],
  year: number,
): string[] {
  const rule = state === undefined ? undefined : exclusionRuleFor(state as never);
  if (rule === undefined) return ["  exclusion rule   none for this state"];
  if (rule.anchor === "year_round") return [`  exclusion rule   ${state}: every date, all year`];
  const anchor = rule.anchor === "effective_date"
    ? "effective date"
    : rule.anchor === "birth_month_start"
    ? "first day of the birth month"
    : "birthday";
  if (windowRule === undefined) {
    return [`  exclusion rule   ${state}: anchored on the ${anchor}, which is missing: no window`];
  }
  const lines = [
    `  exclusion rule   ${state}: ${rule.daysBefore} days before the ${anchor} plus a buffer of ${windowRule.bufferDays}, ${rule.daysAfter} days after`,
  ];
  for (const windowYear of [year - 1, year, year + 1]) {
    const window = windowOfYear(windowRule, windowYear);
    lines.push(
      `  window ${windowYear}      ${formatDay(window.start)} to ${formatDay(window.end)}`,
    );
  }
  return lines;
}

function describeEmail(email: PlannedEmail): string {
  const parts = [`${email.kind.padEnd(15)} event ${formatDay(email.eventDay)}`];
  parts.push(`ideal ${formatDay(email.idealDay)}`);
  let why = email.kept && email.sendDay !== email.idealDay
    ? "keeps the date of the earlier row"
    : email.late
    ? "ideal date has passed: catch-up date"
    : "on the ideal date";
  if (email.kind === "post_window") why = "the day after the window ends";
  const status = email.status === "skipped"
    ? `skipped (${email.skipReason}${
      email.windowEnd !== undefined && Number.isFinite(email.windowEnd)
        ? `, window ${formatDay(email.windowStart!)} to ${formatDay(email.windowEnd)}`
        : ""
    })`
    : "pre-scheduled";
  return `${parts.join(", ")} -> ${formatDay(email.sendDay)} ${status}: ${why}`;
}
