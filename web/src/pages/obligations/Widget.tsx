import { useApiQuery } from '../../api.ts';
import { Stat } from '../../components/index.ts';
import { useT } from '../../i18n.ts';
import { Link } from '../../router.tsx';
import type { Summary } from './types.ts';

/** Dashboard panel: overdue and due-soon obligations. */
export function ObligationsWidget() {
  const { t } = useT('obligations');
  const s = useApiQuery<Summary>('/api/v1/obligations/summary');
  return (
    <Link to="/obligations?overdue=true" className="subtle-link">
      <Stat label={t('ui.overdue')} value={s.data ? s.data.overdue : '…'} tone={s.data?.overdue ? 'overdue' : undefined}
        note={s.data ? `${t('ui.dueSoon')}: ${s.data.dueSoon} · ${t('ui.open')}: ${s.data.open}` : undefined} />
    </Link>
  );
}
