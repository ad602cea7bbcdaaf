import { Injectable, Logger } from '@nestjs/common';
import { DevicesRepository } from './devices.repository';

/** How often a device's last-seen time is written at most (each request would be one write too many). */
const WRITE_EVERY_MS = 30_000;
const MAX_TRACKED = 10_000;
export const APP_VERSION_HEADER = 'x-passway-app-version';

/** Records when a door device last called the API, and with which app version. */
@Injectable()
export class DeviceActivity {
  private readonly logger = new Logger(DeviceActivity.name);
  private readonly written = new Map<string, { at: number; version: string | null }>();

  constructor(private readonly repository: DevicesRepository) {}

  /** Called for every authenticated request; a key that is no device's updates nothing. */
  seen(keyId: string, appVersion: string | undefined): void {
    const version = typeof appVersion === 'string' && appVersion.length > 0 ? appVersion.slice(0, 40) : null;
    const last = this.written.get(keyId);
    const now = Date.now();
    if (last && now - last.at < WRITE_EVERY_MS && (version === null || version === last.version)) return;
    if (this.written.size >= MAX_TRACKED) this.written.delete(this.written.keys().next().value!);
    this.written.set(keyId, { at: now, version: version ?? last?.version ?? null });
    this.repository
      .recordActivity(keyId, version)
      .catch((error: Error) => this.logger.warn(`cannot record device activity: ${error.message}`));
  }
}
