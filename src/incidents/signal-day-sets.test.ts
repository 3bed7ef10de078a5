import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignalDaySets } from './signal-day-sets.ts';

test('signal day sets: one set per signature and day, VINs distinct and sorted, a set never added to left out', () => {
  const days = new SignalDaySets();
  days.add('ACC|C1|1.0|ADCU', '2026-11-01', 'VIN-B');
  days.add('ACC|C1|1.0|ADCU', '2026-11-01', 'VIN-A');
  days.add('ACC|C1|1.0|ADCU', '2026-11-01', 'VIN-B');
  days.vinsOf('ACC|C1|1.0|ADCU', '2026-11-02').add('VIN-C');
  days.vinsOf('LCC|C2|1.0|ADCU', '2026-11-01'); // looked up, nothing added
  assert.deepEqual(days.sets(), [
    { signature: 'ACC|C1|1.0|ADCU', day: '2026-11-01', vins: ['VIN-A', 'VIN-B'] },
    { signature: 'ACC|C1|1.0|ADCU', day: '2026-11-02', vins: ['VIN-C'] },
  ]);
});
