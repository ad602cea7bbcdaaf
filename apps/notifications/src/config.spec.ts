import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { ConfigError } from '@passway/common';
import { loadNotificationsConfig } from './config';

describe('notifications email configuration', () => {
  it('defaults to log without RESEND_API_KEY and to resend with one', () => {
    assert.equal(loadNotificationsConfig({}).EMAIL_PROVIDER, 'log');
    assert.equal(loadNotificationsConfig({ RESEND_API_KEY: 're_123' }).EMAIL_PROVIDER, 'resend');
    assert.equal(loadNotificationsConfig({ RESEND_API_KEY: 're_123', EMAIL_PROVIDER: 'log' }).EMAIL_PROVIDER, 'log');
  });

  it('refuses resend without a key and an unknown provider', () => {
    assert.throws(() => loadNotificationsConfig({ EMAIL_PROVIDER: 'resend' }), ConfigError);
    assert.throws(() => loadNotificationsConfig({ EMAIL_PROVIDER: 'smtp' }), /EMAIL_PROVIDER must be one of resend, log/);
  });

  it('has a from address and the Resend API origin by default', () => {
    const config = loadNotificationsConfig({});
    assert.equal(config.EMAIL_FROM, 'Passway <passes@passway.local>');
    assert.equal(config.RESEND_BASE_URL, 'https://api.resend.com');
  });
});
