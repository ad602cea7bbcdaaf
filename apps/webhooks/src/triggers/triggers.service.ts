import { Injectable } from '@nestjs/common';
import { DEFAULT_TRIGGER_LIMIT, TriggerItem, TriggersQueryDto } from '@passway/common';
import { EventLogRepository } from '../events/event-log.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `/triggers`: polling over the event log (Zapier's fallback for webhooks), newest first. */
@Injectable()
export class TriggersService {
  constructor(private readonly log: EventLogRepository) {}

  async poll(tenantId: string, query: TriggersQueryDto, now = new Date()): Promise<TriggerItem[]> {
    const since = query.since ? new Date(query.since) : new Date(now.getTime() - DAY_MS);
    return this.log.poll(tenantId, query.event, since, query.limit ?? DEFAULT_TRIGGER_LIMIT);
  }
}
