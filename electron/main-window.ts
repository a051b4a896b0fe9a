import { BrowserWindow, shell } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN, WEB_PREFERENCES, isAllowedNavigation } from './security-policy';

/** The one window factory: every window Flowcase opens is made here, with the same locks. */
export function createMainWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Flowcase',
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: { ...WEB_PREFERENCES, preload: preloadPath },
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  // No new windows, no webviews; external links are not followed from evidence data.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void shell; // links to the outside world are never opened from the renderer
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

export function preloadPath(dir: string): string {
  return join(dir, 'preload.cjs');
}
