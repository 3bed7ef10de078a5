/** Vehicles gathered per failure signature and Shanghai day, handed to store.mergeSignalDays. Pure. */
import type { SignalDaySet } from './store.ts';

export class SignalDaySets {
  private readonly byDay = new Map<string, { signature: string; day: string; vins: Set<string> }>();

  add(signature: string, day: string, vin: string): void {
    this.vinsOf(signature, day).add(vin);
  }

  /** The set of vehicles of a signature and day, to add to (a set left empty is never stored). */
  vinsOf(signature: string, day: string): Set<string> {
    const k = `${signature}\u0000${day}`;
    let set = this.byDay.get(k);
    if (!set) this.byDay.set(k, (set = { signature, day, vins: new Set() }));
    return set.vins;
  }

  get size(): number { return this.byDay.size; }

  /** One set per (signature, day) with a vehicle, its VINs sorted. */
  sets(): SignalDaySet[] {
    return [...this.byDay.values()].filter((s) => s.vins.size > 0).map((s) => ({ signature: s.signature, day: s.day, vins: [...s.vins].sort() }));
  }
}
