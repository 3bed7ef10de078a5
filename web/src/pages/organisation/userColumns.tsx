import { Badge, type Column } from '../../components/index.ts';
import type { useT } from '../../i18n.ts';

type UserCells = { name: string; email: string | null; role: string };

/** The users table's name, email and role columns, shared by the dashboard and the organisation page. */
export function userColumns<U extends UserCells>(t: ReturnType<typeof useT>['t']): Column<U>[] {
  return [
    { key: 'name', header: t('users.name'), nowrap: true, render: (u) => u.name },
    { key: 'email', header: t('users.email'), render: (u) => u.email },
    { key: 'role', header: t('users.role'), nowrap: true, render: (u) => <Badge tone="neutral">{t(`roles.${u.role}`, { defaultValue: u.role })}</Badge> },
  ];
}
