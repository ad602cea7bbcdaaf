import { Injectable } from '@nestjs/common';
import {
  AdmissionFeedItem,
  AdmissionFeedPage,
  AdmissionFeedQueryDto,
  DEFAULT_ADMISSION_PAGE_SIZE,
  EventScope,
  EventStatus,
  inScope,
  isUuid,
  notFound,
} from '@passway/common';
import { AdmissionCursor, decodeCursor, encodeCursor } from './admission-cursor';
import { AdmissionFeedRepository, FeedRow } from './admission-feed.repository';
import { AdmissionsRepository } from './admissions.repository';
import { PassDirectory } from './pass-directory';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** The door app's copy of an event's admissions: a full download, then deltas (docs/door.md). */
@Injectable()
export class AdmissionFeedService {
  constructor(
    private readonly feed: AdmissionFeedRepository,
    private readonly admissions: AdmissionsRepository,
    private readonly directory: PassDirectory,
  ) {}

  async page(tenantId: string, eventId: string, query: AdmissionFeedQueryDto, scope?: EventScope): Promise<AdmissionFeedPage> {
    const eventStatus = await this.eventStatus(tenantId, eventId, scope);
    const limit = query.limit ?? DEFAULT_ADMISSION_PAGE_SIZE;
    const cursor: AdmissionCursor | null = query.since ? decodeCursor(query.since) : null;
    const from = cursor?.from ?? '0';
    const after = cursor?.after ?? { xid: from, passId: NIL_UUID };
    const rows = await this.feed.page(tenantId, eventId, from, after, limit);
    // The delta's watermark is fixed by its first page; later pages carry it along.
    const next = cursor?.after ? cursor.next : (rows[0]?.watermark ?? (await this.feed.watermark()));
    const hasMore = rows.length === limit;
    const last = rows[rows.length - 1];
    const nextCursor = hasMore
      ? encodeCursor({ from, next, after: { xid: last.change_xid, passId: last.pass_id } })
      : encodeCursor({ from: next, next, after: null });
    return { eventId, eventStatus, items: rows.map(toItem), nextCursor, hasMore, serverTime: new Date().toISOString() };
  }

  /** The event as the projection knows it; one it has not seen yet is asked of the passes service. */
  private async eventStatus(tenantId: string, eventId: string, scope: EventScope): Promise<EventStatus> {
    if (!isUuid(eventId) || !inScope(scope, eventId)) throw notFound('Event');
    const known = await this.admissions.findEvent(tenantId, eventId);
    if (known) return known.status;
    const event = await this.directory.event(tenantId, eventId);
    await this.admissions.applyEvent(event);
    return event.status;
  }
}

function toItem(row: FeedRow): AdmissionFeedItem {
  return {
    passId: row.pass_id,
    codeHash: row.code_hash,
    name: row.name,
    holderName: row.holder_name,
    type: row.type,
    status: row.status,
    validFrom: row.valid_from ? row.valid_from.toISOString() : null,
    validUntil: row.valid_until ? row.valid_until.toISOString() : null,
    maxUsages: row.max_usages,
    usagesCount: row.usages_count,
  };
}
