/**
 * What the new events of a bulk batch mean, gathered while they stream by: the cases they open or
 * join, the failure signatures they touch, the vehicles seen per signature and day. The node-side twin
 * of the RETURNING aggregates of store.insertEventChunk (a test runs both on the same events).
 */
import { copyField, type ChunkOutcome, type EventRow } from './store.ts';

/** What the accounting needs of one new event (a row, or a row of the parser thread's columns). */
export type RowFacts = Pick<EventRow, 'dedupe' | 'personal' | 'signature' | 'sigFunction' | 'faultCode' | 'sigVersion' | 'sigEcu' | 'sigDay' | 'vin'
  | 'caseKey' | 'severity' | 'awareAt' | 'type' | 'vinStatus' | 'occurredAt'>;

type CaseEvent = ChunkOutcome['eventCases'][number];
export type SignatureParts = { signature: string; fn: string; fault: string; version: string; ecu: string | null };

export class NewEvents {
  inserted = 0;
  readonly cases = new Map<string, CaseEvent>();
  readonly monthly = new Map<string, { case_key: string; n: number; aware_at: Date }>();
  readonly signatures = new Map<string, SignatureParts>();
  /** (signature, day, vin) as COPY lines without the newline: a set, so each is written once. */
  readonly signalDays = new Set<string>();
  readonly personal: { dedupe: string; data: string }[] = [];

  /** `knownDays`: signal days already stored (bulk path), left out of `signalDays`. */
  add(r: RowFacts, body: () => unknown, knownDays?: Set<string>): void {
    this.inserted++;
    if (r.personal) this.personal.push({ dedupe: r.dedupe, data: r.personal });
    if (r.signature) {
      if (!this.signatures.has(r.signature)) {
        this.signatures.set(r.signature, { signature: r.signature, fn: r.sigFunction!, fault: r.faultCode!, version: r.sigVersion!, ecu: r.sigEcu });
      }
      const day = signalDayKey(r);
      if (!knownDays?.has(day)) this.signalDays.add(day);
    }
    if (!r.caseKey || !r.severity) return;
    if (r.severity === 'S4') {
      const m = this.monthly.get(r.caseKey);
      const aware = Date.parse(r.awareAt);
      if (!m) this.monthly.set(r.caseKey, { case_key: r.caseKey, n: 1, aware_at: new Date(aware) });
      else { m.n++; if (aware < m.aware_at.getTime()) m.aware_at = new Date(aware); }
      return;
    }
    // The case's representative event: the gravest, then the earliest known.
    const had = this.cases.get(r.caseKey);
    const aware = new Date(r.awareAt);
    if (had && (had.severity < r.severity || (had.severity === r.severity && had.aware_at <= aware))) { had.n++; return; }
    this.cases.set(r.caseKey, {
      case_key: r.caseKey, severity: r.severity, type: r.type, vin: r.vin, vin_status: r.vinStatus, occurred_at: new Date(r.occurredAt),
      aware_at: aware, body: body(), n: (had?.n ?? 0) + 1,
    });
  }

  outcome(): ChunkOutcome {
    const byKey = (a: { case_key: string }, b: { case_key: string }) => (a.case_key < b.case_key ? -1 : a.case_key > b.case_key ? 1 : 0);
    return {
      inserted: this.inserted, eventCases: [...this.cases.values()].sort(byKey), monthly: [...this.monthly.values()].sort(byKey),
      signatures: [...this.signatures.keys()].sort(),
    };
  }
}

/** The (signature, day, vin) of an event with a signature, as a COPY line without its newline. */
export const signalDayKey = (r: Pick<EventRow, 'signature' | 'sigDay' | 'vin'>): string => `${copyField(r.signature)}\t${r.sigDay}\t${r.vin}`;
