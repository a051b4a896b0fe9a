/**
 * Splits filter text into tokens. Words are runs of anything but blanks and the
 * punctuation below, so that `10.0.0.0/8`, `fe80::1`, `2024-01-12T10:00Z` and
 * `1000-2000` each arrive as one word for the parser to interpret in context.
 */
export type TokenKind = 'word' | 'string' | '(' | ')' | '[' | ']' | ',' | 'op' | '!' | '&&' | '||' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The word, the unquoted string, or the operator/punctuation itself. */
  readonly text: string;
  readonly offset: number;
  readonly length: number;
}

/** A lexing problem (an unterminated string, a lone '&'): message plus where. */
export interface LexProblem {
  readonly message: string;
  readonly offset: number;
  readonly length: number;
}

const PUNCT = new Set(['(', ')', '[', ']', ',']);
const WORD_STOP = /[\s()[\],"'=<>!&|]/;

export function tokenize(input: string): Token[] | LexProblem {
  const out: Token[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    const ch = input[i];
    if (/\s/.test(ch)) { i++; continue; }
    if (PUNCT.has(ch)) { out.push({ kind: ch as TokenKind, text: ch, offset: i, length: 1 }); i++; continue; }
    const two = input.slice(i, i + 2);
    if (two === '&&' || two === '||') { out.push({ kind: two, text: two, offset: i, length: 2 }); i += 2; continue; }
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ kind: 'op', text: two === '==' ? '=' : two, offset: i, length: 2 });
      i += 2;
      continue;
    }
    if (ch === '=' || ch === '<' || ch === '>') { out.push({ kind: 'op', text: ch, offset: i, length: 1 }); i++; continue; }
    if (ch === '!') { out.push({ kind: '!', text: ch, offset: i, length: 1 }); i++; continue; }
    if (ch === '&' || ch === '|') {
      return { message: `'${ch}' alone is not an operator; write '${ch}${ch}' or '${ch === '&' ? 'and' : 'or'}'`, offset: i, length: 1 };
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let text = '';
      while (j < n && input[j] !== ch) {
        if (input[j] === '\\' && j + 1 < n) { text += input[j + 1]; j += 2; continue; }
        text += input[j++];
      }
      if (j >= n) return { message: `unterminated string: the ${ch} is never closed`, offset: i, length: n - i };
      out.push({ kind: 'string', text, offset: i, length: j + 1 - i });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n && !WORD_STOP.test(input[j])) j++;
    out.push({ kind: 'word', text: input.slice(i, j), offset: i, length: j - i });
    i = j;
  }
  out.push({ kind: 'eof', text: '', offset: n, length: 0 });
  return out;
}
