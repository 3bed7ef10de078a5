import type { PageDef, WidgetDef } from '../../pages.ts';
import { CalendarPage } from './CalendarPage.tsx';
import { ObligationDetailPage } from './ObligationDetailPage.tsx';
import { ObligationsPage } from './ObligationsPage.tsx';
import { WebhooksPage } from './WebhooksPage.tsx';
import { ObligationsWidget } from './Widget.tsx';

export const pages: PageDef[] = [
  { path: '/obligations', navKey: 'obligations:nav.obligations', element: ObligationsPage, order: 200, permission: 'obligations:read' },
  { path: '/obligations/calendar', navKey: 'obligations:nav.calendar', element: CalendarPage, order: 210, permission: 'obligations:read' },
  { path: '/obligations/:obligationId', element: ObligationDetailPage, permission: 'obligations:read' },
  { path: '/webhooks', navKey: 'obligations:nav.webhooks', element: WebhooksPage, order: 850, permission: 'webhooks:read' },
];

export const widgets: WidgetDef[] = [{ key: 'obligations', permission: 'obligations:read', order: 10, element: ObligationsWidget }];
