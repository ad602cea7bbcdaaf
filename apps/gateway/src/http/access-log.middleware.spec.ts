import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { loggablePath } from './access-log.middleware';

describe('access log paths', () => {
  it('hide the pass code of public pass pages, and keep every other path', () => {
    assert.equal(loggablePath('/p/7QK2M9R4XW3TBN5H'), '/p/:code');
    assert.equal(loggablePath('/p/7QK2M9R4XW3TBN5H/qr.svg'), '/p/:code/qr.svg');
    assert.equal(
      loggablePath('/api/v1/passes/0b6c3e0e-0000-4000-8000-000000000000'),
      '/api/v1/passes/0b6c3e0e-0000-4000-8000-000000000000',
    );
    assert.equal(loggablePath('/e/acme/gala/checkin'), '/e/acme/gala/checkin');
  });
});
