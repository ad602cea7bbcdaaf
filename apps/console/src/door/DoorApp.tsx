import { useEffect, useState } from 'react';
import { Connectivity } from './lib/connectivity';
import { APP_VERSION, createDoorClient, DeviceRevokedError, OfflineError } from './lib/door-api';
import { DeviceProfile, DoorSession } from './lib/door-session';
import { LocalStore } from './lib/local-store';
import { MessageScreen } from './screens/MessageScreen';
import { PrepareScreen } from './screens/PrepareScreen';
import { ScanScreen } from './screens/ScanScreen';
import { doorText } from './strings';

type Phase =
  | { kind: 'booting' }
  | { kind: 'message'; text: string; tone: 'info' | 'error' }
  | { kind: 'revoked' }
  | { kind: 'prepare'; session: DoorSession }
  | { kind: 'scan'; session: DoorSession };

const connectivity = new Connectivity();

/** The door: pair (once), prepare the offline copy, scan. */
export function DoorApp() {
  const [phase, setPhase] = useState<Phase>({ kind: 'booting' });

  useEffect(() => {
    let cancelled = false;
    const show = (next: Phase) => !cancelled && setPhase(next);
    void boot(show).catch((error: unknown) => show({ kind: 'message', tone: 'error', text: String((error as Error).message ?? error) }));
    return () => {
      cancelled = true;
    };
  }, []);

  switch (phase.kind) {
    case 'booting':
      return <MessageScreen text={doorText.pairing} tone="info" />;
    case 'message':
      return <MessageScreen text={phase.text} tone={phase.tone} />;
    case 'revoked':
      return <MessageScreen text={doorText.revoked} tone="error" testId="revoked" />;
    case 'prepare':
      return <PrepareScreen session={phase.session} onStart={() => setPhase({ kind: 'scan', session: phase.session })} />;
    case 'scan':
      return <ScanScreen session={phase.session} onRevoked={() => setPhase({ kind: 'revoked' })} />;
  }
}

async function boot(show: (phase: Phase) => void): Promise<void> {
  const store = await LocalStore.open();
  // The offline copy goes; pending scans stay (for an export); the phone remembers why it stopped.
  const revoked = () => {
    void store.wipeAdmissions().then(() => store.setMeta('revoked', true));
    show({ kind: 'revoked' });
  };
  const token = new URLSearchParams(window.location.hash.slice(1)).get('pair');
  let profile = await store.meta<DeviceProfile>('device');
  if (token) {
    try {
      profile = await pair(token);
    } catch (error) {
      history.replaceState(null, '', window.location.pathname);
      return show({ kind: 'message', tone: 'error', text: (error as Error).message });
    }
    await store.wipeAdmissions();
    await store.setMeta('device', profile);
    history.replaceState(null, '', window.location.pathname);
  }
  if ((await store.meta<boolean>('revoked')) === true) return show({ kind: 'revoked' });
  if (!profile) return show({ kind: 'message', tone: 'info', text: doorText.notPaired });

  const api = createDoorClient(profile.apiKey, connectivity, revoked);
  const session = new DoorSession(store, api, connectivity, profile);
  try {
    await session.checkDevice();
  } catch (error) {
    if (error instanceof DeviceRevokedError) return;
    if (!(error instanceof OfflineError)) throw error;
  }
  show({ kind: (await store.meta<string>('syncedAt')) ? 'scan' : 'prepare', session });
}

/** Trades the pairing link's token for the device's key (the token is in the fragment, never in a server log). */
async function pair(token: string): Promise<DeviceProfile> {
  let response: Response;
  try {
    response = await fetch('/api/v1/devices/pair', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, appVersion: APP_VERSION }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new Error(doorText.pairingOffline);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(doorText.pairingFailed[body.code] ?? body.error ?? `Pairing failed (HTTP ${response.status}).`);
  return { apiKey: body.apiKey, deviceId: body.device.id, deviceName: body.device.name, tenantName: body.tenantName, events: body.events };
}
