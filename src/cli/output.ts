/** Destination of a command's text: result lines to stdout, one-line messages to stderr. */
export interface Output {
  /** Writes a line of the command's result to stdout. */
  print(line: string): void;
  /** Writes a warning, progress or error line to stderr. */
  error(line: string): void;
  /** True when stderr is a terminal, so progress lines are worth showing. */
  readonly interactive: boolean;
}

const encoder = new TextEncoder();

/** Output to the process's stdout and stderr. */
export const consoleOutput: Output = {
  print(line) {
    writeAll(Deno.stdout, line + "\n");
  },
  error(line) {
    writeAll(Deno.stderr, line + "\n");
  },
  get interactive() {
    return Deno.stderr.isTerminal();
  },
};

/**
 * Writes all of `text`. A reader that went away (`… | head`) is not an error worth a stack trace,
 * so the rest of the output is dropped.
 */
function writeAll(stream: { writeSync(bytes: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  try {
    while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

/** Output kept in memory, for tests. */
export function memoryOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    interactive: false,
    print: (line) => void stdout.push(line),
    error: (line) => void stderr.push(line),
  };
}
