/**
 * What the new events of a bulk batch mean, gathered while they stream by: the cases they open or
 * join, the failure signatures they touch. The node-side twin of the RETURNING aggregates of
 * store.insertEventChunk (a test runs both on the same events).
 */
import { uuidAt } from '../platform/key-set.ts';
import type { ParsedPiece, SignatureParts } from './intake-worker.ts';
import type { ChunkOutcome, EventRow } from './store.ts';

/** What the accounting needs of one new event (a row, or a row of the parser thread's columns). */
export type RowFacts = Pick<EventRow, 'dedupe' | 'personal' | 'signature' | 'sigFunction' | 'faultCode' | 'sigVersion' | 'sigEcu' | 'sigDay' | 'vin'
  | 'caseKey' | 'severity' | 'awareAt' | 'awareMs' | 'type' | 'vinStatus' | 'occurredAt'>;

type CaseEvent = ChunkOutcome['eventCases'][number];
export type { SignatureParts };
/** What the accounting reads of a parsed piece. */
export type PieceRows = Pick<ParsedPiece, 'n' | 'keys' | 'sig' | 'sigs' | 'month' | 'months' | 'aware' | 'cases' | 'personal'>;

export class NewEvents {
  inserted = 0;
  readonly cases = new Map<string, CaseEvent>();
  readonly monthly = new Map<string, { case_key: string; n: number; aware_at: Date }>();
  readonly signatures = new Map<string, SignatureParts>();
  readonly personal: { dedupe: string; data: string }[] = [];

  /** One new event (the chunked path). */
  add(r: RowFacts, body: () => unknown): void {
    this.inserted++;
    if (r.personal) this.personal.push({ dedupe: r.dedupe, data: r.personal });
    if (r.signature && !this.signatures.has(r.signature)) {
      this.signatures.set(r.signature, { signature: r.signature, fn: r.sigFunction!, fault: r.faultCode!, version: r.sigVersion!, ecu: r.sigEcu });
    }
    if (!r.caseKey || !r.severity) return;
    if (r.severity === 'S4') this.addMonthly(r.caseKey, r.awareMs);
    else this.addCase(r.caseKey, r.severity, r.type, r.vin, r.vinStatus, r.occurredAt, r.awareAt, body);
  }

  /** The rows of a parsed piece that were written: those with skip[i] === 0 (all when skip is null). The bulk path. */
  addPiece(p: PieceRows, skip: Uint8Array | null): void {
    const touched = new Uint8Array(p.sigs.length);
    for (let i = 0; i < p.n; i++) {
      if (skip && skip[i]) continue;
      this.inserted++;
      const s = p.sig[i];
      if (s >= 0) touched[s] = 1;
      const m = p.month[i];
      if (m >= 0) this.addMonthly(p.months[m], p.aware[i]);
    }
    for (let s = 0; s < touched.length; s++) if (touched[s] && !this.signatures.has(p.sigs[s].signature)) this.signatures.set(p.sigs[s].signature, p.sigs[s]);
    for (const c of p.cases) {
      if (!skip || !skip[c.row]) this.addCase(c.caseKey, c.severity, c.type, c.vin, c.vinStatus, c.occurredAt, c.awareAt, () => JSON.parse(c.body));
    }
    for (const x of p.personal) if (!skip || !skip[x.row]) this.personal.push({ dedupe: uuidAt(p.keys, x.row * 16), data: x.data });
  }

  private addMonthly(caseKey: string, aware: number): void {
    const m = this.monthly.get(caseKey);
    if (!m) this.monthly.set(caseKey, { case_key: caseKey, n: 1, aware_at: new Date(aware) });
    else { m.n++; if (aware < m.aware_at.getTime()) m.aware_at = new Date(aware); }
  }

  /** The case's representative event: the gravest, then the earliest known. */
  private addCase(caseKey: string, severity: string, type: string, vin: string, vinStatus: string, occurredAt: string, awareAt: string, body: () => unknown): void {
    const had = this.cases.get(caseKey);
    const aware = new Date(awareAt);
    if (had && (had.severity < severity || (had.severity === severity && had.aware_at <= aware))) { had.n++; return; }
    this.cases.set(caseKey, {
      case_key: caseKey, severity, type, vin, vin_status: vinStatus, occurred_at: new Date(occurredAt), aware_at: aware, body: body(), n: (had?.n ?? 0) + 1,
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
