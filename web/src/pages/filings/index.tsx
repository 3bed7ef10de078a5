import type { PageDef, WidgetDef } from '../../pages.ts';
import { FilingDetailPage } from './FilingDetailPage.tsx';
import { FilingsPage } from './FilingsPage.tsx';
import { FilingsWidget } from './Widget.tsx';

export const pages: PageDef[] = [
  { path: '/filings', navKey: 'filings:nav.filings', element: FilingsPage, order: 400, permission: 'filings:read' },
  { path: '/filings/:filingId', element: FilingDetailPage, permission: 'filings:read' },
];

export const widgets: WidgetDef[] = [{ key: 'filings', permission: 'filings:read', order: 30, element: FilingsWidget }];
