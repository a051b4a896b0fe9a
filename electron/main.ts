import { app, dialog, net, protocol, session, BrowserWindow } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FlowcaseService } from '../core/api/flowcase-service';
import '../core/formats/index';
import { registerIpc } from './ipc';
import { printPdfWithElectron } from './print-pdf';
import { createMainWindow, preloadPath } from './main-window';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, permissionDecision } from './security-policy';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let win: BrowserWindow | null = null;

async function start(): Promise<void> {
  await app.whenReady();
  const rendererDir = join(__dirname, '..', 'renderer');
  // The renderer is served from the app's own scheme: never from the network or file://.
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const full = normalize(join(rendererDir, rel));
    if (!full.startsWith(rendererDir + sep)) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(full).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(res.body, { status: res.status, headers });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionDecision(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
  // Nothing leaves the machine: any request to the network is cancelled.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !details.url.startsWith(`${APP_SCHEME}:`) && !details.url.startsWith('devtools:') });
  });

  const service = new FlowcaseService({
    transport: 'electron',
    memoryLimit: '1GB',
    printPdf: printPdfWithElectron,
    dialogs: {
      async openCase(create) {
        if (!win) return null;
        if (create) {
          const r = await dialog.showSaveDialog(win, { title: 'New case', defaultPath: 'case.duckdb', filters: [{ name: 'Flowcase case', extensions: ['duckdb'] }] });
          return r.canceled || !r.filePath ? null : r.filePath;
        }
        const r = await dialog.showOpenDialog(win, { title: 'Open case', properties: ['openFile'], filters: [{ name: 'Flowcase case', extensions: ['duckdb'] }] });
        return r.canceled ? null : r.filePaths[0] ?? null;
      },
      async pickEvidence() {
        if (!win) return null;
        const r = await dialog.showOpenDialog(win, { title: 'Add evidence', properties: ['openFile', 'openDirectory', 'multiSelections'] });
        return r.canceled ? null : r.filePaths;
      },
    },
  });
  registerIpc(service, () => win?.webContents ?? null);
  win = createMainWindow(preloadPath(__dirname));
  win.on('closed', () => { win = null; });
  app.on('window-all-closed', async () => {
    await service.dispose();
    app.quit();
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

void start();
