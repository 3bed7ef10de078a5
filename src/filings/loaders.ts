import { evidenceForSets } from '../evidence/index.ts';
import { incidentReportContent } from '../incidents/index.ts';
import type { Actor } from '../platform/audit.ts';
import { AppError, validationFailed } from '../platform/errors.ts';
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
    throw validationFailed([{ path: input.version === undefined ? 'subject' : 'input.version',
      message: 'the product has no frozen parameter version to file: submit the draft first (POST .../parameters/draft/submit)' }]);
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
    ...(SANDBOX_ROLES.includes(d?.role) ? [] : [{ path: `input.documents.${i}.role`, message: `one of ${SANDBOX_ROLES.join(', ')}` }]),
    ...(typeof d?.sha256 === 'string' && /^[0-9a-f]{64}$/.test(d.sha256) ? [] : [{ path: `input.documents.${i}.sha256`, message: 'the SHA-256 of an uploaded evidence file' }]),
  ]);
  if (docs.length === 0) errors.push({ path: 'input.documents', message: 'list the documents: [{role, sha256, filename?, title?}]' });
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
  if (!deps.blobs) throw new AppError('unavailable', 'the evidence store is not configured');
  const v = await deps.blobs.verify(sha256);
  if (v.size === undefined) throw validationFailed([{ path: 'input', message: `no uploaded file has SHA-256 ${sha256}` }]);
  if (!v.ok) throw new AppError('integrity_error', `stored file ${sha256} no longer matches its hash`);
  return { size: v.size };
}

/** Evidence the request names by hash (files already in the blob store), with display metadata. */
async function evidenceFromInput(deps: Deps, list: unknown, path: string): Promise<EvidenceRef[]> {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw validationFailed([{ path, message: 'a list of {sha256, filename?, title?, mediaType?}' }]);
  const out: EvidenceRef[] = [];
  for (const [i, e] of list.entries()) {
    if (typeof e?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) throw validationFailed([{ path: `${path}.${i}.sha256`, message: 'the SHA-256 of an uploaded file' }]);
    const info = await blobInfo(deps, e.sha256);
    out.push({ sha256: e.sha256, filename: String(e.filename ?? `${e.sha256.slice(0, 12)}.bin`), mediaType: String(e.mediaType ?? 'application/octet-stream'), size: info.size, title: e.title ?? null });
  }
  return out;
}

/** The incidents slice publishes the report content; the request may add evidence files and pick a version. */
const incidentReport: Loader = async ({ deps, actor, tenantId, subjectId, input }) => {
  if (input.version !== undefined && !(Number.isInteger(input.version) && input.version > 0)) {
    throw validationFailed([{ path: 'input.version', message: 'a report version number' }]);
  }
  const content = await readScope(deps, actor, (sql) => incidentReportContent(sql, tenantId, subjectId, input.version));
  const evidence = await evidenceFromInput(deps, input.evidence, 'input.evidence');
  return { content: { ...JSON.parse(JSON.stringify(content)), evidence }, subjectDigest: content.report.digest };
};

/** A campaign not managed in icvgate: the caller supplies the whole content (validated by the same schema). */
const supplied: Loader = async ({ input }) => {
  if (!input.content || typeof input.content !== 'object') {
    throw validationFailed([{ path: 'input.content', message: 'this kind is built from the content you supply (see docs/filings.md)' }]);
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
