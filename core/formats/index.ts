/**
 * Loads every format into the registry. Import this module (not the registry alone)
 * wherever files are decoded.
 */
import { registerLoader } from './registry';

const loaders: import('./decoder').FormatLoader[] = [
  // Each format folder exports its loader; add new ones here.
];
for (const l of loaders) registerLoader(l);

export { LOADERS, loaderById, sniffFormat } from './registry';
