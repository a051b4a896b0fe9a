import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './corpus';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `flowcase` binary (bin/flowcase.mjs) in a child process. */
export function runFlowcase(args: string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'flowcase.mjs'), ...args], {
      cwd: opts.cwd ?? REPO_ROOT, env: { ...process.env, TZ: 'UTC' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
