import type { PageDef } from '../../pages.ts';
import { IncidentDetailPage } from './IncidentDetailPage.tsx';
import { IncidentsPage } from './IncidentsPage.tsx';
import { SignalsPage } from './SignalsPage.tsx';

export const pages: PageDef[] = [
  { path: '/incidents', navKey: 'incidents:nav.queue', element: IncidentsPage, order: 300, permission: 'incidents:read' },
  { path: '/incidents/:incidentId', element: IncidentDetailPage, permission: 'incidents:read' },
  { path: '/signals', navKey: 'incidents:nav.signals', element: SignalsPage, order: 310, permission: 'incidents:read' },
];
