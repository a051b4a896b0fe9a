import { contextBridge, ipcRenderer, webUtils } from 'electron';

/**
 * The only bridge into the page: invoke a contract method, listen to an event, and get
 * the path of a dropped file. No Node, no ipcRenderer, no filesystem in the renderer.
 */
const EVENTS = new Set(['import.progress', 'import.done', 'case.changed']);

contextBridge.exposeInMainWorld('flowcase', {
  invoke: (method: string, args: unknown) => ipcRenderer.invoke('flowcase:invoke', String(method), args),
  on: (event: string, listener: (payload: unknown) => void) => {
    if (!EVENTS.has(event)) throw new Error(`unknown event ${event}`);
    const wrapped = (_e: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(`flowcase:event:${event}`, wrapped);
    return () => ipcRenderer.off(`flowcase:event:${event}`, wrapped);
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});
