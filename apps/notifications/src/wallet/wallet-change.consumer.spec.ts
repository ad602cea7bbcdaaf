import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { CONSUMER_GROUPS, createEvent, EventDataMap, googleEventClassPatch, topicFor } from '@passway/common';
import { changedWalletPasses, googleTemplateBodies, WALLET_EVENT_TYPES, WalletEvent } from './wallet-change.consumer';

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

  it("PATCHes a template's look onto the Google objects of its passes: the colour onto every one, the logo onto generic ones", () => {
    const TEMPLATE = '00000000-0000-4000-8000-000000000003';
    const look = { primaryColor: '#111111', backgroundColor: '#222222', textColor: '#ffffff', logoUrl: 'https://cdn.example/logo.png' };
    const logo = { sourceUri: { uri: 'https://cdn.example/logo.png' } };
    assert.deepEqual(googleTemplateBodies({ id: TEMPLATE, changedFields: ['backgroundColor'], ...look }), {
      eventTicketObject: { hexBackgroundColor: '#222222' },
      genericObject: { hexBackgroundColor: '#222222', logo },
    });
    // Without a background colour the primary one is the background, as in the save link.
    assert.deepEqual(googleTemplateBodies({ id: TEMPLATE, changedFields: ['primaryColor'], ...look, backgroundColor: null }), {
      eventTicketObject: { hexBackgroundColor: '#111111' },
      genericObject: { hexBackgroundColor: '#111111', logo },
    });
    // An event ticket object has no logo (its class's shows): a new logo PATCHes generic objects only.
    assert.deepEqual(googleTemplateBodies({ id: TEMPLATE, changedFields: ['logo', 'logoUrl'], ...look }), {
      eventTicketObject: null,
      genericObject: { hexBackgroundColor: '#222222', logo },
    });
    // A colour removed is left out (a PATCH sets, never clears); with nothing left there is nothing to PATCH.
    assert.deepEqual(
      googleTemplateBodies({ id: TEMPLATE, changedFields: ['backgroundColor'], ...look, primaryColor: null, backgroundColor: null }),
      { eventTicketObject: null, genericObject: { logo } },
    );
    // The text colour, the barcode and the icon do not show in Google Wallet; an event from before the look was carried PATCHes nothing.
    assert.deepEqual(googleTemplateBodies({ id: TEMPLATE, changedFields: ['textColor', 'barcodeFormat', 'icon'], ...look }), {
      eventTicketObject: null,
      genericObject: null,
    });
    assert.deepEqual(googleTemplateBodies({ id: TEMPLATE, changedFields: ['backgroundColor'] }), {
      eventTicketObject: null,
      genericObject: null,
    });
  });

  it("PATCHes an event's class with its name, time, venue and own branding", () => {
    const body = googleEventClassPatch({
      eventId: PASS,
      name: 'Night Market',
      startsAt: '2030-07-01T19:00:00.000Z',
      endsAt: null,
      venue: 'Old Quay',
      backgroundColor: '#0a0b0c',
      logoUrl: 'https://cdn.example/event.png',
    });
    assert.deepEqual(body, {
      eventName: { defaultValue: { language: 'en', value: 'Night Market' } },
      dateTime: { start: '2030-07-01T19:00:00.000Z' },
      venue: {
        name: { defaultValue: { language: 'en', value: 'Old Quay' } },
        address: { defaultValue: { language: 'en', value: 'Old Quay' } },
      },
      hexBackgroundColor: '#0a0b0c',
      logo: { sourceUri: { uri: 'https://cdn.example/event.png' } },
    });
  });
});
