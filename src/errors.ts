/**
 * The one error class for expected failures: bad configuration, an unknown agency, a busy or
 * unreadable database, invalid command-line input. The CLI maps it to an exit code; any other
 * error is a bug and keeps its stack trace.
 */
export class SchedulerError extends Error {
  /** Exit code for the CLI: 2 for usage and configuration errors, 1 for a failed run. */
  readonly exitCode: 1 | 2;

  constructor(message: string, options: { exitCode?: 1 | 2; cause?: unknown } = {}) {
    const { exitCode = 2, cause } = options;
    super(message, cause === undefined ? undefined : { cause });
    this.name = "SchedulerError";
    this.exitCode = exitCode;
  }
}
