/**
 * Every security setting of the desktop app in one place, free of Electron imports so
 * that unit tests can assert them (the Electron binary cannot run on CI).
 */

/** webPreferences for the one window: isolated, sandboxed, no Node in the page. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
  navigateOnDragDrop: false,
} as const;

/** The Content-Security-Policy sent with every response the renderer loads. No 'unsafe-*'. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** The app's own origin: the renderer is loaded from a custom scheme, never from the network. */
export const APP_SCHEME = 'flowcase';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Navigation is allowed only within the app's own pages. */
export function isAllowedNavigation(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Every permission request (camera, notifications, geolocation, ...) is denied. */
export function permissionDecision(_permission: string): boolean {
  return false;
}
