/** An instant seen from an agency's time zone, for deciding whether its daily run is due. */
export interface LocalRunDay {
  /** The calendar date in the agency's time zone: the plan's `today`. */
  today: Temporal.PlainDate;
  /** The wall-clock time in the agency's time zone. */
  localTime: Temporal.PlainTime;
  /** True once the local wall clock reads `runHour`:00 or later. */
  runHourPassed: boolean;
}

/**
 * Returns the agency's local date at `now` and whether its run hour has passed. The local date and
 * time come from Temporal's time zone rules, so a daylight-saving change never skips or repeats a
 * date. A run hour inside a spring-forward gap counts as passed from the first instant after the
 * gap. Throws a RangeError for an hour outside 0–23 or an unknown time zone.
 */
export function localRunDay(
  now: Temporal.Instant,
  options: { timezone: string; runHour: number },
): LocalRunDay {
  const { timezone, runHour } = options;
  if (!Number.isInteger(runHour) || runHour < 0 || runHour > 23) {
    throw new RangeError(`Cannot compute the local run day: runHour must be 0 to 23: ${runHour}`);
  }

  const local = now.toZonedDateTimeISO(timezone);
  return {
    today: local.toPlainDate(),
    localTime: local.toPlainTime(),
    runHourPassed: local.hour >= runHour,
  };
}
