import type { RunSummary } from "../scheduling/run_summary.ts";

const number = new Intl.NumberFormat("en-US");

/** Formats a run summary as the short human-readable text that `schedule` prints. */
export function formatSummary(summary: RunSummary): string[] {
  const { rows, planned, timingsMs } = summary;
  const mode = summary.dryRun ? " (dry run: nothing written)" : "";
  const lines = [
    `Organization ${summary.orgId}: plan for ${summary.today}${mode}`,
    `  contacts read      ${number.format(summary.contactsRead)}`,
    `  rows               ${
      joinCounts({
        inserted: rows.inserted,
        updated: rows.updated,
        deleted: rows.deleted,
        unchanged: rows.kept,
        "history kept": rows.history_kept,
      })
    }`,
  ];
  for (const [kind, counts] of Object.entries(planned)) {
    lines.push(
      `  ${kind.padEnd(17)}  ${number.format(counts["pre-scheduled"])} pre-scheduled, ${
        number.format(counts.skipped)
      } skipped`,
    );
  }
  lines.push(`  skipped by reason  ${joinCounts(summary.skippedByReason)}`);
  lines.push(`  contact problems   ${joinCounts(summary.invalidByReason)}`);
  const sender = summary.leftForSender;
  if (sender.same_event + sender.same_date > 0) {
    lines.push(`  left to sender     ${joinCounts(sender)}`);
  }
  if (rows.conflicts > 0) {
    lines.push(`  not written        ${number.format(rows.conflicts)} (date already taken)`);
  }
  const { moved_by_cap: byCap, moved_by_smoothing: bySmoothing } = summary.balancing;
  if (byCap + bySmoothing > 0) {
    lines.push(
      `  balancing moved    ${number.format(byCap)} off crowded days, ${
        number.format(bySmoothing)
      } effective-date emails spread`,
    );
  }
  lines.push(
    `  busiest days       ${
      summary.busiestDays.map(({ date, emails }) => `${date} ${number.format(emails)}`).join(", ")
    } (daily cap ${number.format(summary.balancing.daily_cap)})`,
  );
  if (summary.overloadedDays.length > 0) {
    const days = summary.overloadedDays.slice(0, 10).map(({ date, emails }) =>
      `${date} ${number.format(emails)}`
    );
    lines.push(`  over the cap       ${days.join(", ")} (nothing on them could move)`);
  }
  const split = Object.entries(timingsMs).filter(([name]) => name !== "total").map(([name, ms]) =>
    `${name} ${(ms / 1000).toFixed(2)}`
  );
  lines.push(`  time               ${(timingsMs.total / 1000).toFixed(2)} s (${split.join(", ")})`);
  return lines;
}

function joinCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, count]) => count > 0);
  if (entries.length === 0) return "none";
  return entries.map(([name, count]) => `${name} ${number.format(count)}`).join(", ");
}
