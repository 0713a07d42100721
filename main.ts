/**
 * Entry point of medigap-scheduler. See README.md, or run with --help.
 */
import { main } from "./src/cli/main.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
