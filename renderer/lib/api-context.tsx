import { createContext, useContext, type ReactNode } from 'react';
import type { FlowcaseClient } from './api-client';

const ApiContext = createContext<FlowcaseClient | null>(null);

/** Provides the one client (Electron IPC or HTTP) to every component below it. */
export function ApiProvider({ client, children }: { client: FlowcaseClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

/** The contract client; components never learn which transport it uses. */
export function useApi(): FlowcaseClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi() outside <ApiProvider>');
  return client;
}
