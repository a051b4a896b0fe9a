import { resolve } from 'node:path';
import { startWebServer } from './server';
import '../formats/index';

/** `npm run web`: serves the built renderer on 127.0.0.1 with a per-launch token. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const portArg = args.indexOf('--port');
  const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;
  const caseArg = args.find((a) => a.endsWith('.duckdb'));
  const server = await startWebServer({ port, staticDir: resolve(process.env.FLOWCASE_STATIC ?? 'dist/renderer') });
  if (caseArg) await server.service.openCase(caseArg);
  process.stdout.write(`Flowcase web mode (loopback only). Open:\n\n  ${server.url}\n\nPress Ctrl+C to stop.\n`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`flowcase web: ${(err as Error).message}\n`);
  process.exit(1);
});
