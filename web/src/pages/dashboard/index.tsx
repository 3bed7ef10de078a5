import type { PageDef } from '../../pages.ts';
import { Dashboard } from './Dashboard.tsx';

export const pages: PageDef[] = [{ path: '/', navKey: 'nav.dashboard', element: Dashboard, order: 0 }];
