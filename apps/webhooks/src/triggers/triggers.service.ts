import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DEFAULT_TRIGGER_LIMIT, TriggerItem, TriggersQueryDto } from '@passway/common';
import { DataSource } from 'typeorm';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `/triggers`: polling over the event log (Zapier's fallback for webhooks), newest first. */
@Injectable()
export class TriggersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async poll(tenantId: string, query: TriggersQueryDto, now = new Date()): Promise<TriggerItem[]> {
    const since = query.since ? new Date(query.since) : new Date(now.getTime() - DAY_MS);
    const rows: { data: TriggerItem }[] = await this.dataSource.query(
      `SELECT data FROM webhooks.event_log
        WHERE tenant_id = $1 AND type = $2 AND occurred_at > $3
        ORDER BY occurred_at DESC, event_id DESC LIMIT $4`,
      [tenantId, query.event, since, query.limit ?? DEFAULT_TRIGGER_LIMIT],
    );
    return rows.map((row) => row.data);
  }
}
