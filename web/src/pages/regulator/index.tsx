import type { PageDef } from '../../pages.ts';
import { RegulatorFilingPage } from './RegulatorFilingPage.tsx';
import { RegulatorListPage } from './RegulatorListPage.tsx';

export const pages: PageDef[] = [
  { path: '/regulator', navKey: 'filings:nav.regulator', element: RegulatorListPage, order: 100, permission: 'regulator:read' },
  { path: '/regulator/:filingId', element: RegulatorFilingPage, permission: 'regulator:read' },
];
