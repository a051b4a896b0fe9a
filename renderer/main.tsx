import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { createClient } from './lib/api-client';
import { ApiProvider } from './lib/api-context';
import './app/theme.css';
import './app/dark.css';

const client = createClient();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider client={client}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
