import type { FormatLoader } from '../decoder';
import { zeekNamesDecoder, ZEEK_NAME_LOGS, type ZeekNameLog } from './decode-zeek-names';

const latin1 = new TextDecoder('latin1');

/** Scores a head as the Zeek log `kind`: its #path line, its JSON keys, or its file name. */
function sniffZeekLog(kind: ZeekNameLog) {
  const key = { dns: 'query', ssl: 'server_name', http: 'host' }[kind];
  return (head: Uint8Array, fileName: string): number => {
    let text = latin1.decode(head.subarray(0, 8192));
    if (text.startsWith('###')) text = text.slice(text.indexOf('\n') + 1);
    text = text.trimStart();
    if (text.startsWith('#separator')) {
      const path = /#path[\t ]+(\S+)/.exec(text)?.[1];
      return path === kind ? 0.98 : 0;
    }
    if (text.startsWith('{')) {
      const first = text.slice(0, text.indexOf('\n') >>> 0);
      if (new RegExp(`"_path"\\s*:\\s*"${kind}"`).test(first)) return 0.95;
      if (/"(id\.orig_h|orig_h)"\s*:/.test(first) && first.includes(`"${key}"`) && new RegExp(`(^|[^a-z])${kind}[^a-z]`, 'i').test(fileName)) return 0.9;
    }
    return 0;
  };
}

/** The loader of one of Zeek's name logs (zeek-dns-loader.ts, zeek-ssl-loader.ts, zeek-http-loader.ts). */
export function zeekNamesLoader(kind: ZeekNameLog): FormatLoader {
  return {
    id: `zeek-${kind}`,
    label: `Zeek ${kind}.log (names: ${ZEEK_NAME_LOGS[kind].source === 'dns' ? 'DNS answers' : ZEEK_NAME_LOGS[kind].source === 'sni' ? 'TLS server names' : 'HTTP Host and URI'})`,
    extensions: ['.log', '.json'],
    patterns: [`${kind}.log`, `${kind}.*.log`, `${kind}.log (JSON lines)`],
    positionUnit: 'line',
    options: [],
    sniff: sniffZeekLog(kind),
    decode: zeekNamesDecoder(kind),
  };
}
