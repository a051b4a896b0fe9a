import type { FormatLoader } from '../decoder';
import { decodeFlowTools } from './decode-flow-tools';

/** flow-tools capture files (flow-capture ft-v05.YYYY-MM-DD.hhmmss+zone): magic 0xCF10. */
export const flowToolsLoader: FormatLoader = {
  id: 'flow-tools',
  label: 'flow-tools file',
  extensions: ['.ft'],
  patterns: ['ft-v05.YYYY-MM-DD.hhmmss+zzzz', 'ft-v*'],
  positionUnit: 'byte',
  options: [],
  sniff(head: Uint8Array, fileName: string): number {
    if (head.length >= 4 && head[0] === 0xcf && head[1] === 0x10 && (head[2] === 1 || head[2] === 2) && (head[3] === 1 || head[3] === 3)) return 1;
    return /^ft-v\d/.test(fileName) ? 0.1 : 0;
  },
  decode: (ctx) => decodeFlowTools(ctx),
};
