import type { PageDef } from '../../pages.ts';
import { AuditLogPage } from './AuditLogPage.tsx';

export const pages: PageDef[] = [{ path: '/audit', navKey: 'nav.audit', element: AuditLogPage, order: 900, permission: 'audit:read' }];
