import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, WEB_PREFERENCES, isAllowedNavigation, permissionDecision } from '../../../electron/security-policy';
import { REPO_ROOT } from '../../helpers/corpus';

const source = (f: string) => readFileSync(join(REPO_ROOT, 'electron', f), 'utf8');

describe('electron security policy', () => {
  it('isolates and sandboxes the renderer with no Node integration', () => {
    expect(WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  it('sends a strict CSP without unsafe-* sources or remote hosts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('allows navigation only inside the app and denies every permission', () => {
    expect(isAllowedNavigation('flowcase://app/index.html')).toBe(true);
    expect(isAllowedNavigation('https://example.com/')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
    for (const p of ['media', 'notifications', 'geolocation', 'openExternal', 'clipboard-read']) expect(permissionDecision(p)).toBe(false);
  });

  it('builds every window through the one factory with these preferences, denying new windows and webviews', () => {
    const w = source('main-window.ts');
    expect(w).toContain('webPreferences: { ...WEB_PREFERENCES, preload: preloadPath }');
    expect(w).toContain("setWindowOpenHandler(() => ({ action: 'deny' }))");
    expect(w).toContain("'will-navigate'");
    expect(w).toContain("'will-attach-webview'");
    expect(source('main.ts').match(/new BrowserWindow/g) ?? []).toHaveLength(0);
  });

  it('exposes only invoke, on and pathForFile through contextBridge', () => {
    const p = source('preload.ts');
    expect(p.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    const keys = [...p.matchAll(/^ {2}(\w+): /gm)].map((m) => m[1]);
    expect(keys).toEqual(['invoke', 'on', 'pathForFile']);
    expect(p).not.toMatch(/require\(|process\./);
  });

  it('validates every IPC call through the service (the contract schemas) and refuses foreign frames', () => {
    const ipc = source('ipc.ts');
    expect(ipc).toContain('service.call(String(method), args)');
    expect(ipc).toContain('origin !== APP_ORIGIN');
  });

  it('keeps native rebuild steps out of postinstall', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(JSON.stringify(pkg.scripts ?? {})).not.toMatch(/install-app-deps|electron-rebuild|@electron\/rebuild/);
    // postinstall installs the lint toolchain (tools/lint) and bundles the CLI (esbuild), nothing native.
    expect((pkg.scripts.postinstall ?? '').split(' && ')).toEqual(['node tools/lint/install.mjs', 'node scripts/build-cli.mjs']);
  });
});
