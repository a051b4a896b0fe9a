import { runCli } from './main';
import './extra-commands';

/** Entry point of the `flowcase` binary. */
const code = await runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: !!process.stderr.isTTY,
});
process.exitCode = code;
