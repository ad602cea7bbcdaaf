import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DoorApp } from './DoorApp';
import './door.css';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, networkMode: 'always' } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <DoorApp />
    </QueryClientProvider>
  </StrictMode>,
);

// The service worker keeps the door app itself available offline (never the API: door/public/sw.js).
if ('serviceWorker' in navigator) {
  void navigator.serviceWorker
    .register(`${import.meta.env.BASE_URL}door/sw.js`, { scope: `${import.meta.env.BASE_URL}door/` })
    .catch(() => undefined);
}
