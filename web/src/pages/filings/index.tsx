import type { PageDef } from '../../pages.ts';
import { FilingDetailPage } from './FilingDetailPage.tsx';
import { FilingsPage } from './FilingsPage.tsx';

export const pages: PageDef[] = [
  { path: '/filings', navKey: 'filings:nav.filings', element: FilingsPage, order: 400, permission: 'filings:read' },
  { path: '/filings/:filingId', element: FilingDetailPage, permission: 'filings:read' },
];
