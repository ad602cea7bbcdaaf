import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { CONSUMER_GROUPS, createEvent, EventDataMap, topicFor } from '@passway/common';
import { changedWalletPasses, WALLET_EVENT_TYPES, WalletEvent } from './wallet-change.consumer';

const TENANT = '00000000-0000-4000-8000-000000000001';
const PASS = '00000000-0000-4000-8000-000000000002';

function scanned(data: Partial<EventDataMap['pass.scanned']>): WalletEvent {
  return createEvent('pass.scanned', TENANT, { passId: PASS, success: true, passType: 'multi', ...data } as EventDataMap['pass.scanned']);
}

describe('wallet changes', () => {
  it('reads every topic that carries an event type it handles (pass.scanned has a topic of its own)', () => {
    const subscribed: readonly string[] = CONSUMER_GROUPS.notificationsWallet.topics;
    for (const type of WALLET_EVENT_TYPES) assert.ok(subscribed.includes(topicFor(type)), `${type} arrives on ${topicFor(type)}`);
  });

  it('changes a multi pass when a scan admits it, and nothing for a refused scan or a single pass', () => {
    assert.deepEqual(changedWalletPasses(scanned({})), { passId: PASS });
    assert.equal(changedWalletPasses(scanned({ success: false })), null);
    // A single pass's admission arrives as pass.status_changed (used), which is what pushes it.
    assert.equal(changedWalletPasses(scanned({ passType: 'single' })), null);
  });

  it('changes a multi pass whose admission was undone; a single pass comes back through pass.status_changed', () => {
    const undone = (passType: 'single' | 'multi') =>
      createEvent('pass.admission_undone', TENANT, { passId: PASS, passType } as EventDataMap['pass.admission_undone']) as WalletEvent;
    assert.deepEqual(changedWalletPasses(undone('multi')), { passId: PASS });
    assert.equal(changedWalletPasses(undone('single')), null);
  });

  it('changes every pass wearing a template when something they show changes, and nothing for its description', () => {
    const TEMPLATE = '00000000-0000-4000-8000-000000000003';
    const updated = (changedFields: string[]) => createEvent('template.updated', TENANT, { id: TEMPLATE, changedFields }) as WalletEvent;
    assert.deepEqual(changedWalletPasses(updated(['backgroundColor'])), { templateId: TEMPLATE });
    assert.deepEqual(changedWalletPasses(updated(['logo', 'logoUrl'])), { templateId: TEMPLATE });
    assert.equal(changedWalletPasses(updated(['description'])), null);
  });
});
