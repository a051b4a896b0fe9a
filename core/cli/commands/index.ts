import type { CliCommand } from '../command';

/**
 * Every `flowcase` subcommand, in the order --help lists them. Each lives in its own file
 * and is imported only when it runs (or when --help lists them all). A new command adds
 * commands/<name>.ts and one line here.
 */
export const COMMANDS: Readonly<Record<string, () => Promise<CliCommand>>> = {
  import: async () => (await import('./import')).importCommand,
  stats: async () => (await import('./stats')).statsCommand,
  flows: async () => (await import('./flows')).flowsCommand,
  evidence: async () => (await import('./evidence')).evidenceCommand,
  verify: async () => (await import('./verify')).verifyCommand,
  formats: async () => (await import('./formats')).formatsCommand,
  pivot: async () => (await import('./pivot')).pivotCommand,
  sessions: async () => (await import('./sessions')).sessionsCommand,
  detect: async () => (await import('./detect')).detectCommand,
  exclusions: async () => (await import('./exclusions')).exclusionsCommand,
  thresholds: async () => (await import('./thresholds')).thresholdsCommand,
  note: async () => (await import('./note')).noteCommand,
  story: async () => (await import('./story')).storyCommand,
  timeline: async () => (await import('./timeline')).timelineCommand,
  assess: async () => (await import('./assess')).assessCommand,
  report: async () => (await import('./report')).reportCommand,
  export: async () => (await import('./export')).exportCommand,
  enrich: async () => (await import('./enrich')).enrichCommand,
  assets: async () => (await import('./assets')).assetsCommand,
};
