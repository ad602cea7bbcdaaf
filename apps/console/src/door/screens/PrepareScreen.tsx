import { useEffect, useState } from 'react';
import { DoorSession, StorageFullError } from '../lib/door-session';
import { OfflineError } from '../lib/door-api';
import { unlockAudio } from '../lib/feedback';
import { doorText } from '../strings';

/** Downloads the offline copy, asks for persistent storage, and waits for a Start tap (which unlocks audio). */
export function PrepareScreen({ session, onStart }: { session: DoorSession; onStart: () => void }) {
  const [loaded, setLoaded] = useState(0);
  const [state, setState] = useState<'loading' | 'ready' | 'offline' | 'full'>('loading');

  useEffect(() => {
    void navigator.storage?.persist?.().catch(() => false);
    session.pull(setLoaded).then(
      () => setState('ready'),
      (error: unknown) => setState(error instanceof StorageFullError ? 'full' : error instanceof OfflineError ? 'offline' : 'offline'),
    );
  }, [session]);

  return (
    <main className="door-message">
      <h1>{doorText.title}</h1>
      <p>{doorText.paired(session.profile.deviceName, session.profile.tenantName)}</p>
      <p>{session.profile.events.map((event) => event.name).join(', ')}</p>
      <p data-testid="prepare-status" role="status">
        {state === 'loading' && doorText.preparing(loaded)}
        {state === 'ready' && doorText.ready(loaded)}
        {state === 'full' && doorText.storageFull}
        {state === 'offline' && doorText.pairingOffline}
      </p>
      <button
        type="button"
        className="door-start"
        disabled={state === 'loading'}
        onClick={() => {
          unlockAudio();
          onStart();
        }}
      >
        {doorText.start}
      </button>
    </main>
  );
}
