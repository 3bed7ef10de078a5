import { z } from 'zod';

/** The shape of a parameter catalog: the shipped candidate list and every imported official version. */
export const Label = z.object({ zh: z.string().min(1), en: z.string().min(1) });
export const EnumValue = z.object({ value: z.string().min(1), label: Label });
export const Unit = z.object({ symbol: z.string().min(1), label: Label });
export const Provenance = z.enum(['official', 'candidate']);
export const EvidenceNeed = z.enum(['required', 'optional', 'none']);
export const GroupKey = z.enum(['general', 'cdas', 'ota']);
/** All conditions must hold; an empty object means the parameter always applies. */
export const AppliesWhen = z.object({ cdas: z.boolean().optional(), ota: z.boolean().optional() }).strict();
export const SourceRef = z.object({ ref: z.string().min(1), note: z.string().optional() });

const common = {
  key: z.string().regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/, 'keys are dotted camelCase, e.g. cdas.odd.speedMax'),
  group: GroupKey,
  label: Label,
  description: Label.optional(),
  appliesWhen: AppliesWhen,
  main: z.boolean(),
  evidence: EvidenceNeed,
  required: z.boolean(),
  provenance: Provenance,
  source: SourceRef,
};

const TextItem = z.object({ type: z.literal('text'), maxLength: z.number().int().positive().optional() }).strict();
const EnumItem = z.object({ type: z.literal('enum'), values: z.array(EnumValue).min(1) }).strict();

export const ParameterDef = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('boolean') }).strict(),
  z.object({ ...common, type: z.literal('text'), maxLength: z.number().int().positive().optional() }).strict(),
  z.object({ ...common, type: z.literal('enum'), values: z.array(EnumValue).min(1) }).strict(),
  z.object({
    ...common, type: z.literal('number'), unit: Unit,
    min: z.number().optional(), max: z.number().optional(), integer: z.boolean().optional(),
  }).strict(),
  z.object({
    ...common, type: z.literal('list'), items: z.discriminatedUnion('type', [TextItem, EnumItem]),
    minItems: z.number().int().min(0).optional(), maxItems: z.number().int().positive().optional(),
  }).strict(),
]);

export const CatalogData = z.object({
  regime: z.string().min(1),
  version: z.string().min(1),
  provenance: Provenance,
  title: Label,
  notice: Label.optional(),
  sources: z.record(z.string(), z.object({ title: z.string().min(1), url: z.string().url().optional() })),
  groups: z.array(z.object({ key: GroupKey, label: Label })).min(1),
  parameters: z.array(ParameterDef).min(1),
}).strict().superRefine((c, ctx) => {
  const seen = new Set<string>();
  const groups = new Set(c.groups.map((g) => g.key));
  c.parameters.forEach((p, i) => {
    const at = (...rest: (string | number)[]) => ['parameters', i, ...rest];
    if (seen.has(p.key)) ctx.addIssue({ code: 'custom', path: at('key'), message: `duplicate key ${p.key}`, params: { key: 'catalog.duplicateKey', params: { key: p.key } } });
    seen.add(p.key);
    if (!groups.has(p.group)) ctx.addIssue({ code: 'custom', path: at('group'), message: `group ${p.group} is not declared in groups`, params: { key: 'catalog.groupUndeclared', params: { group: p.group } } });
    if (!c.sources[p.source.ref]) ctx.addIssue({ code: 'custom', path: at('source', 'ref'), message: `source ${p.source.ref} is not declared in sources`, params: { key: 'catalog.sourceUndeclared', params: { ref: p.source.ref } } });
    if (c.provenance === 'candidate' && p.provenance !== 'candidate') {
      ctx.addIssue({ code: 'custom', path: at('provenance'), message: 'a candidate catalog holds candidate parameters only', params: { key: 'catalog.candidateOnly' } });
    }
    if (p.type === 'number' && p.min !== undefined && p.max !== undefined && p.min > p.max) {
      ctx.addIssue({ code: 'custom', path: at('min'), message: `min ${p.min} is above max ${p.max}`, params: { key: 'catalog.minAboveMax', params: { min: p.min, max: p.max } } });
    }
    if (p.type === 'list' && p.minItems !== undefined && p.maxItems !== undefined && p.minItems > p.maxItems) {
      ctx.addIssue({ code: 'custom', path: at('minItems'), message: `minItems ${p.minItems} is above maxItems ${p.maxItems}`, params: { key: 'catalog.minItemsAboveMax', params: { min: p.minItems, max: p.maxItems } } });
    }
    const values = p.type === 'enum' ? p.values : p.type === 'list' && p.items.type === 'enum' ? p.items.values : [];
    const vs = new Set<string>();
    for (const v of values) {
      if (vs.has(v.value)) ctx.addIssue({ code: 'custom', path: at('values'), message: `duplicate allowed value ${v.value}`, params: { key: 'catalog.duplicateValue', params: { value: v.value } } });
      vs.add(v.value);
    }
  });
});

export type Label = z.infer<typeof Label>;
export type ParameterDef = z.infer<typeof ParameterDef>;
export type CatalogData = z.infer<typeof CatalogData>;
export type GroupKey = z.infer<typeof GroupKey>;
