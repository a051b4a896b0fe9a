import { useCallback, useEffect, useState } from 'react';

/** 'system' follows prefers-color-scheme; 'light' and 'dark' are the analyst's choice. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'flowcase.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

function storedChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** The next choice of the toggle: system, then light, then dark. */
export function nextTheme(c: ThemeChoice): ThemeChoice {
  return c === 'system' ? 'light' : c === 'light' ? 'dark' : 'system';
}

/**
 * The theme: the system's preference unless the analyst chose one (kept across sessions).
 * Sets html[data-theme] for a choice (dark.css reads it) and the class theme-dark whenever
 * the page is dark, for the few fixed colours (charts) that are re-coloured.
 */
export function useTheme(): { choice: ThemeChoice; dark: boolean; setChoice: (c: ThemeChoice) => void } {
  const [choice, setChoiceState] = useState<ThemeChoice>(storedChoice);
  const [systemDark, setSystemDark] = useState(() => typeof matchMedia === 'function' && matchMedia(DARK_QUERY).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(DARK_QUERY);
    const on = () => setSystemDark(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  const dark = choice === 'dark' || (choice === 'system' && systemDark);
  useEffect(() => {
    const root = document.documentElement;
    if (choice === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', choice);
    root.classList.toggle('theme-dark', dark);
  }, [choice, dark]);
  const setChoice = useCallback((c: ThemeChoice) => {
    setChoiceState(c);
    try {
      if (c === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, c);
    } catch {
      // storage refused (private mode): the choice lasts this session
    }
  }, []);
  return { choice, dark, setChoice };
}
