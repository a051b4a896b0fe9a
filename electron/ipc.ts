import { ipcMain, type WebContents } from 'electron';
import { ApiError } from '../core/api/api-error';
import type { FlowcaseService } from '../core/api/flowcase-service';
import { APP_ORIGIN } from './security-policy';

/**
 * Electron's transport for the contract: one ipcMain.handle channel; the service
 * validates every argument. Calls from any frame but the app's own are refused.
 */
export function registerIpc(service: FlowcaseService, target: () => WebContents | null): () => void {
  ipcMain.handle('flowcase:invoke', async (event, method: unknown, args: unknown) => {
    const origin = event.senderFrame?.origin ?? '';
    if (origin !== APP_ORIGIN) throw new Error('refused: call from an unknown frame');
    try {
      return { ok: true, result: await service.call(String(method), args) };
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('internal', (err as Error).message);
      return { ok: false, error: { code: e.code, message: e.message } };
    }
  });
  const off = service.onAny((name, payload) => target()?.send(`flowcase:event:${name}`, payload));
  return () => {
    off();
    ipcMain.removeHandler('flowcase:invoke');
  };
}
