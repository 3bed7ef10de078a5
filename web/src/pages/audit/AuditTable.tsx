import { formatInstant, shortHash } from '../../format.ts';
import { useT } from '../../i18n.ts';
import { Link } from '../../router.tsx';
import { Table } from '../../components/index.ts';
import type { AuditEntry } from './types.ts';

/** Audit entries, newest first; shared by the dashboard and the audit log page. */
/** `compact` (the dashboard) leaves out the hash column. */
export function AuditTable({ rows, loading, compact }: { rows: AuditEntry[] | undefined; loading?: boolean; compact?: boolean }) {
  const { t } = useT();
  return (
    <Table
      rows={rows}
      loading={loading}
      rowKey={(e) => e.seq}
      columns={[
        { key: 'seq', header: t('audit.seq'), align: 'right', mono: true, width: 56, render: (e) => e.seq },
        { key: 'at', header: t('audit.at'), nowrap: true, width: 130, render: (e) => formatInstant(e.at) },
        { key: 'actor', header: t('audit.actor'), render: (e) => <span title={e.actor.id}>{e.actor.name}</span> },
        { key: 'action', header: t('audit.action'), mono: true, nowrap: true, render: (e) => e.action },
        {
          key: 'subject',
          header: t('audit.subject'),
          render: (e) => (
            <span>
              <span className="muted">{e.subjectType}</span>{' '}
              <Link to={`/audit?subject=${encodeURIComponent(e.subjectId)}`} className="mono subtle-link" title={t('audit.filterSubject')}>
                {e.subjectId}
              </Link>
            </span>
          ),
        },
        ...(compact
          ? []
          : [{ key: 'hash', header: t('audit.hash'), mono: true, nowrap: true, width: 110, render: (e: AuditEntry) => <span title={e.hash}>{shortHash(e.hash)}</span> }]),
      ]}
    />
  );
}
