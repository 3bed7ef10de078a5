import { evidenceForSets } from '../evidence/index.ts';
import { incidentReportContent } from '../incidents/index.ts';
import type { Actor } from '../platform/audit.ts';
import { AppError, fieldError, msg, validationFailed } from '../platform/errors.ts';
import { shanghaiDate } from '../platform/time.ts';
import { readScope, type Deps } from '../platform/usecase.ts';
import { catalogVersion, completenessOf, getProduct } from '../products/index.ts';
import type { Authority, FilingKind } from './kinds.ts';
import { loadCampaign } from './campaign-loader.ts';
import { SANDBOX_ROLES } from './schemas/product-kinds.ts';
import type { EvidenceRef } from './schemas/common.ts';

/**
 * Content builders: read the stored state of the subject through the owning slice's published API and
 * shape it into the kind's content. Kinds whose source slice does not publish a builder yet take the
 * whole content in `input.content` (validated by the same schema, evidence checked against the blob store).
 */
export type GatherContext = {
  deps: Deps; actor: Actor; tenantId: string; subjectId: string; addressee: Authority; input: Record<string, any>; now: Date;
  manufacturer: { name: { zh: string; en: string }; uscc: string | null; importer: { name: { zh: string; en: string }; uscc: string | null } | null };
};
export type Gathered = { content: unknown; subjectDigest: string | null };
type Loader = (ctx: GatherContext) => Promise<Gathered>;

const productRef = (p: { id: string; model: string; name: { zh: string; en: string }; category: string; cdas: boolean; ota: boolean; automationLevel: number }) =>
  ({ id: p.id, model: p.model, name: p.name, category: p.category, cdas: p.cdas, ota: p.ota, automationLevel: p.automationLevel });

const evidenceRef = (e: { sha256: string; filename: string | null; contentType: string; size: number; title: string }): EvidenceRef =>
  ({ sha256: e.sha256, filename: e.filename ?? `${e.sha256.slice(0, 12)}.bin`, mediaType: e.contentType, size: e.size, title: e.title });

const supplementaryParameters: Loader = async ({ deps, actor, tenantId, subjectId, input, now }) => {
  const product = await getProduct(deps, actor, subjectId);
  const frozen = product.sets.filter((s) => s.version !== null).sort((a, b) => (b.version! - a.version!));
  const wanted = input.version === undefined ? frozen[0] : frozen.find((s) => s.version === Number(input.version));
  if (!wanted) {
    throw validationFailed([fieldError(input.version === undefined ? 'subject' : 'input.version', msg('filings.noFrozenVersion'))]);
  }
  return readScope(deps, actor, async (sql) => {
    const catalog = await catalogVersion(sql, tenantId, wanted.catalogVersion);
    const links = await evidenceForSets(sql, tenantId, [wanted.id]);
    const completeness = await completenessOf(sql, tenantId, subjectId, shanghaiDate(now));
    const byKey = new Map(catalog.parameters.map((p: any) => [p.key, p]));
    const keys = Object.keys(wanted.values).sort();
    const parameters = keys.map((key) => {
      const def: any = byKey.get(key);
      return {
        key, label: def?.label ?? { zh: key, en: key }, value: wanted.values[key] as unknown,
        unit: def?.type === 'number' ? def.unit.symbol : null, main: def ? !!def.main : true,
        evidence: [...new Set(links.filter((l) => l.key === key).map((l) => l.evidence.sha256))].sort(),
      };
    });
    const evidence = [...new Map(links.map((l) => [l.evidence.sha256, evidenceRef(l.evidence)])).values()];
    return {
      content: {
        basis: input.basis ?? (product.access.status === 'applying' ? 'N45-2' : 'N45-3'),
        product: productRef(product),
        parameterSet: {
          version: wanted.version!, frozenAt: wanted.submittedAt ? new Date(wanted.submittedAt).toISOString() : null, catalogVersion: wanted.catalogVersion,
          approval: wanted.approval ? { reference: wanted.approval.reference, date: wanted.approval.date } : null,
        },
        parameters,
        completeness: {
          ready: completeness?.ready ?? false,
          missing: (completeness?.missing ?? []).map((m) => m.key),
          evidenceMissing: (completeness?.evidenceMissing ?? []).map((m) => `${m.key} (${m.reason})`),
        },
        evidence,
      },
      subjectDigest: wanted.digest,
    };
  });
};

/** Sandbox documents are files in the blob store; the request names each one's role. */
const sandboxDocuments: Loader = async ({ deps, actor, subjectId, input }) => {
  const product = await getProduct(deps, actor, subjectId);
  const docs = Array.isArray(input.documents) ? input.documents : [];
  const errors = docs.flatMap((d: any, i: number) => [
    ...(SANDBOX_ROLES.includes(d?.role) ? [] : [fieldError(`input.documents.${i}.role`, msg('access.oneOf', { values: SANDBOX_ROLES.join(', ') }))]),
    ...(typeof d?.sha256 === 'string' && /^[0-9a-f]{64}$/.test(d.sha256) ? [] : [fieldError(`input.documents.${i}.sha256`, msg('filings.sha256OfEvidence'))]),
  ]);
  if (docs.length === 0) errors.push(fieldError('input.documents', msg('filings.listDocuments')));
  if (errors.length) throw validationFailed(errors);
  const documents = [];
  for (const d of docs) {
    const info = await blobInfo(deps, d.sha256);
    documents.push({ role: d.role, evidence: { sha256: d.sha256, filename: String(d.filename ?? `${d.role}.pdf`), mediaType: String(d.mediaType ?? 'application/pdf'), size: info.size, title: d.title ?? null } });
  }
  const permit = input.accessPermit ?? (product.access.batch || product.access.approvalDate
    ? { reference: product.access.batch ?? product.id, grantedOn: product.access.approvalDate } : null);
  return { content: { product: productRef(product), accessPermit: permit && permit.grantedOn ? permit : null, documents }, subjectDigest: null };
};

async function blobInfo(deps: Deps, sha256: string): Promise<{ size: number }> {
  if (!deps.blobs) throw new AppError('unavailable', msg('filings.noEvidenceStore'));
  const v = await deps.blobs.verify(sha256);
  if (v.size === undefined) throw validationFailed([fieldError('input', msg('filings.noFileWithSha', { sha256 }))]);
  if (!v.ok) throw new AppError('integrity_error', msg('filings.storedFileChanged', { sha256 }));
  return { size: v.size };
}

/** Evidence the request names by hash (files already in the blob store), with display metadata. */
async function evidenceFromInput(deps: Deps, list: unknown, path: string): Promise<EvidenceRef[]> {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw validationFailed([fieldError(path, msg('filings.listOfFiles'))]);
  const out: EvidenceRef[] = [];
  for (const [i, e] of list.entries()) {
    if (typeof e?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) throw validationFailed([fieldError(`${path}.${i}.sha256`, msg('filings.sha256OfFile'))]);
    const info = await blobInfo(deps, e.sha256);
    out.push({ sha256: e.sha256, filename: String(e.filename ?? `${e.sha256.slice(0, 12)}.bin`), mediaType: String(e.mediaType ?? 'application/octet-stream'), size: info.size, title: e.title ?? null });
  }
  return out;
}

/** The incidents slice publishes the report content; the request may add evidence files and pick a version. */
const incidentReport: Loader = async ({ deps, actor, tenantId, subjectId, input }) => {
  if (input.version !== undefined && !(Number.isInteger(input.version) && input.version > 0)) {
    throw validationFailed([fieldError('input.version', msg('filings.reportVersionNumber'))]);
  }
  const content = await readScope(deps, actor, (sql) => incidentReportContent(sql, tenantId, subjectId, input.version));
  const evidence = await evidenceFromInput(deps, input.evidence, 'input.evidence');
  return { content: { ...JSON.parse(JSON.stringify(content)), evidence }, subjectDigest: content.report.digest };
};

/** A campaign not managed in icvgate: the caller supplies the whole content (validated by the same schema). */
const supplied: Loader = async ({ input }) => {
  if (!input.content || typeof input.content !== 'object') {
    throw validationFailed([fieldError('input.content', msg('filings.contentSupplied'))]);
  }
  const c = input.content as any;
  return { content: c, subjectDigest: typeof c?.campaign?.contentDigest === 'string' ? c.campaign.contentDigest : null };
};

export const LOADERS: Record<FilingKind, Loader> = {
  'supplementary-parameters': supplementaryParameters,
  'sandbox-documents': sandboxDocuments,
  'ota-filing-miit': (ctx) => loadCampaign(ctx, 'ota-filing-miit', supplied),
  'ota-filing-samr': (ctx) => loadCampaign(ctx, 'ota-filing-samr', supplied),
  'change-permit': (ctx) => loadCampaign(ctx, 'change-permit', supplied),
  'recall-filing': (ctx) => loadCampaign(ctx, 'recall-filing', supplied),
  'implementation-report': (ctx) => loadCampaign(ctx, 'implementation-report', supplied),
  'incident-report': incidentReport,
};
