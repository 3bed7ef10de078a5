import type { PageDef, WidgetDef } from '../../pages.ts';
import { AwaitingDecisionWidget } from '../filings/Widget.tsx';
import { RegulatorFilingPage } from './RegulatorFilingPage.tsx';
import { RegulatorListPage } from './RegulatorListPage.tsx';

export const pages: PageDef[] = [
  { path: '/regulator', navKey: 'filings:nav.regulator', element: RegulatorListPage, order: 100, permission: 'regulator:read' },
  { path: '/regulator/:filingId', element: RegulatorFilingPage, permission: 'regulator:read' },
];

export const widgets: WidgetDef[] = [{ key: 'regulator-inbox', permission: 'regulator:read', order: 5, element: AwaitingDecisionWidget }];
