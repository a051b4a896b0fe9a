#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that `npx flowcase` works in a checkout without a build step.
import { register } from 'tsx/esm/api';
register();
await import('../core/cli/run.ts');
