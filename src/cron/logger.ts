/**
 * The levelled logger of the cron and CLI edges: one line per event, human-readable text or JSON
 * lines. Library code never logs, so only `src/cli` and `src/cron` create one.
 */

/** Severity of a log line, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Line format. `text` writes `TIME LEVEL message`, and `json` writes one JSON object per line. */
export type LogFormat = "text" | "json";

/**
 * Structured values of a log line. JSON lines carry them as keys, while text lines show only the
 * message, plus the `stack` field on the lines below it.
 */
export type LogFields = Record<string, string | number | boolean | null | Record<string, number>>;

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

// Error messages come from SQLite and from our own code, and neither should ever contain a
// contact's email address. This pattern is a safety net in case one does.
const EMAIL_ADDRESS = /[^\s@"'<>()]+@[^\s@"'<>()]+\.[^\s@"'<>()]+/g;

/** Options of `Logger`. */
export interface LoggerOptions {
  format: LogFormat;
  /** Writes one finished line, without its line break. */
  write: (line: string) => void;
  /** The wall clock for each line's timestamp, which tests pin. */
  now: () => Temporal.Instant;
  /** Lines below this level are dropped. */
  minLevel?: LogLevel;
}

/** Writes timestamped log lines at four levels, in the format chosen by `LOG_FORMAT`. */
export class Logger {
  readonly #format: LogFormat;
  readonly #write: (line: string) => void;
  readonly #now: () => Temporal.Instant;
  readonly #minLevel: LogLevel;

  constructor(options: LoggerOptions) {
    const { format, write, now, minLevel = "info" } = options;
    if (format !== "text" && format !== "json") {
      throw new RangeError(`Cannot create logger: format must be text or json: "${format}"`);
    }
    if (!(minLevel in LEVEL_ORDER)) {
      throw new RangeError(
        `Cannot create logger: minLevel must be debug, info, warn or error: "${minLevel}"`,
      );
    }
    this.#format = format;
    this.#write = write;
    this.#now = now;
    this.#minLevel = minLevel;
  }

  debug(message: string, fields: LogFields = {}): void {
    this.#log("debug", message, fields);
  }

  info(message: string, fields: LogFields = {}): void {
    this.#log("info", message, fields);
  }

  warn(message: string, fields: LogFields = {}): void {
    this.#log("warn", message, fields);
  }

  error(message: string, fields: LogFields = {}): void {
    this.#log("error", message, fields);
  }

  #log(level: LogLevel, message: string, fields: LogFields): void {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[this.#minLevel]) return;

    const time = this.#now().toString({ smallestUnit: "millisecond" });
    const text = redactEmailAddresses(message);
    if (this.#format === "json") {
      const record: Record<string, unknown> = { time, level, message: text };
      for (const [key, value] of Object.entries(fields)) {
        record[key] = typeof value === "string" ? redactEmailAddresses(value) : value;
      }
      this.#write(JSON.stringify(record));
    } else {
      this.#write(`${time} ${level.toUpperCase().padEnd(5)} ${text}`);
      // A stack trace marks a bug, so it is worth the extra lines that break one line per event.
      if (typeof fields.stack === "string") this.#write(fields.stack);
    }
  }
}

/** Replaces anything shaped like an email address with `<email>`. */
export function redactEmailAddresses(text: string): string {
  return text.replace(EMAIL_ADDRESS, "<email>");
}
