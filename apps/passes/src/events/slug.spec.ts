import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { EVENT_SLUG_MAX_LENGTH, EVENT_SLUG_PATTERN } from '@passway/common';
import { firstFreeSlug, slugify } from './slug';

describe('event slugs', () => {
  it('turns names into lower-case hyphenated words', () => {
    assert.equal(slugify('Summer Fest 2026'), 'summer-fest-2026');
    assert.equal(slugify('  Summer   Fest -- Zürich!  '), 'summer-fest-zurich');
    assert.equal(slugify('Straße & Co.'), 'strasse-co');
    assert.equal(slugify('Crème Brûlée Night'), 'creme-brulee-night');
  });

  it('falls back to "event" when nothing latin is left', () => {
    assert.equal(slugify('音乐会'), 'event');
    assert.equal(slugify('!!!'), 'event');
  });

  it('stays within the limit, leaving room for a suffix, and always matches the slug pattern', () => {
    const long = slugify('word '.repeat(40));
    assert.ok(long.length <= EVENT_SLUG_MAX_LENGTH - 8, long);
    assert.ok(!long.endsWith('-'));
    assert.ok(slugify('x'.repeat(200)).length <= EVENT_SLUG_MAX_LENGTH - 8);
    for (const name of ['a', 'A b', 'éé', '--x--', 'Ωmega 3', '2026']) assert.match(slugify(name), EVENT_SLUG_PATTERN, name);
  });

  it('takes the first free of base, base-2, base-3…', () => {
    assert.equal(firstFreeSlug('fest', new Set()), 'fest');
    assert.equal(firstFreeSlug('fest', new Set(['fest'])), 'fest-2');
    assert.equal(firstFreeSlug('fest', new Set(['fest', 'fest-2', 'fest-4'])), 'fest-3');
  });
});
