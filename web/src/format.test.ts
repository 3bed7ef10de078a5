import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationParts, formatDate, formatInstant, shortHash } from './format.ts';

test('instants are shown in Beijing time, across the date line', () => {
  assert.equal(formatInstant('2026-11-25T18:03:00Z'), '2026-11-26 02:03');
  assert.equal(formatInstant('2026-02-16T15:59:59Z'), '2026-02-16 23:59');
  assert.equal(formatInstant(null), '—');
  assert.equal(formatInstant('not a date'), 'not a date');
});

test('calendar dates pass through; instants become their Beijing date', () => {
  assert.equal(formatDate('2025-06-01'), '2025-06-01');
  assert.equal(formatDate('2025-05-31T16:00:00Z'), '2025-06-01');
  assert.equal(formatDate(undefined), '—');
});

test('durations split into days, hours and minutes, sign ignored', () => {
  assert.deepEqual(durationParts(((2 * 24 + 3) * 60 + 4) * 60_000 + 59_000), { days: 2, hours: 3, minutes: 4 });
  assert.deepEqual(durationParts(-90 * 60_000), { days: 0, hours: 1, minutes: 30 });
  assert.equal(shortHash('a'.repeat(64)), 'aaaaaaaaaaaa');
});
