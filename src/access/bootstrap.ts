import { OPERATOR_ACTOR } from './authenticate.ts';
import { randomToken, newId } from '../platform/ids.ts';
import { appendAudit } from '../platform/audit.ts';
import type { Deps } from '../platform/usecase.ts';
import * as store from './store.ts';
import { hashToken, TOKEN_PREFIX } from './tokens.ts';

export const PLATFORM_CHAIN = '_platform';

/** On a system with no operator token, creates one and returns it (once); otherwise undefined. */
export async function bootstrapOperatorToken(deps: Deps): Promise<string | undefined> {
  return deps.db.tx('operator', async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock(7340003)');
    if ((await store.countOperatorTokens(sql)) > 0 || deps.config.bootstrapToken) return undefined;
    const token = TOKEN_PREFIX + randomToken();
    const now = deps.clock();
    const id = newId('tok', now.getTime());
    await store.insertToken(sql, null, { id, name: 'bootstrap', role: 'operator', scopes: [], hash: hashToken(token), createdBy: 'init', createdAt: now });
    await appendAudit(sql, { tenantId: PLATFORM_CHAIN, actor: OPERATOR_ACTOR, action: 'operator_token.created', subjectType: 'api_token', subjectId: id, at: now });
    return token;
  });
}
