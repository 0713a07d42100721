import type { RunSummary } from "../scheduling/run_summary.ts";

const number = new Intl.NumberFormat("en-US");

/** Formats a run summary as the short human-readable text that `schedule` prints. */
export function formatSummary(summary: RunSummary): string[] {
  return [...rowLines(summary), ...planLines(summary), ...dayLines(summary)];
}

/** Returns the heading, contacts read and what happened to the table's rows. */
function rowLines(summary: RunSummary): string[] {
  const { rows } = summary;
  const mode = summary.dryRun ? " (dry run: nothing written)" : "";
  const counts = joinCounts({
    inserted: rows.inserted,
    updated: rows.updated,
    deleted: rows.deleted,
    unchanged: rows.kept,
    "history kept": rows.history_kept,
  });
  const lines = [
    `Organization ${summary.orgId}: plan for ${summary.today}${mode}`,
    `  contacts read      ${number.format(summary.contactsRead)}`,
    `  rows               ${counts}`,
  ];
  if (rows.conflicts > 0) {
    lines.push(`  not written        ${number.format(rows.conflicts)} (date already taken)`);
  }
  return lines;
}

/** Returns the emails by kind and status, skips by reason and contact problems. */
function planLines(summary: RunSummary): string[] {
  const lines: string[] = [];
  for (const [kind, counts] of Object.entries(summary.planned)) {
    const preScheduled = number.format(counts["pre-scheduled"]);
    const skipped = number.format(counts.skipped);
    lines.push(`  ${kind.padEnd(17)}  ${preScheduled} pre-scheduled, ${skipped} skipped`);
  }
  lines.push(`  skipped by reason  ${joinCounts(summary.skippedByReason)}`);
  lines.push(`  contact problems   ${joinCounts(summary.invalidByReason)}`);

  const sender = summary.leftForSender;
  if (sender.same_event + sender.same_date > 0) {
    lines.push(`  left to sender     ${joinCounts(sender)}`);
  }
  return lines;
}

/** Returns balancing moves, the busiest days, days left above the cap and the time split. */
function dayLines(summary: RunSummary): string[] {
  const lines: string[] = [];
  const { moved_by_cap: byCap, moved_by_smoothing: bySmoothing, daily_cap: cap } =
    summary.balancing;
  if (byCap + bySmoothing > 0) {
    const moves = `${number.format(byCap)} off crowded days`;
    const spread = `${number.format(bySmoothing)} effective-date emails spread`;
    lines.push(`  balancing moved    ${moves}, ${spread}`);
  }

  const busiest = summary.busiestDays.map(({ date, emails }) => `${date} ${number.format(emails)}`);
  lines.push(`  busiest days       ${busiest.join(", ")} (daily cap ${number.format(cap)})`);
  if (summary.overloadedDays.length > 0) {
    const days = summary.overloadedDays.slice(0, 10).map(({ date, emails }) =>
      `${date} ${number.format(emails)}`
    );
    lines.push(`  over the cap       ${days.join(", ")} (nothing on them could move)`);
  }

  const { total, ...phases } = summary.timingsMs;
  const split = Object.entries(phases).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)}`);
  lines.push(`  time               ${(total / 1000).toFixed(2)} s (${split.join(", ")})`);
  return lines;
}

function joinCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, count]) => count > 0);
  if (entries.length === 0) return "none";
  return entries.map(([name, count]) => `${name} ${number.format(count)}`).join(", ");
}
