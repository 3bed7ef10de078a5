import type { PageDef } from '../../pages.ts';
import { OrganisationPage } from './OrganisationPage.tsx';

export const pages: PageDef[] = [{ path: '/organisation', navKey: 'nav.organisation', element: OrganisationPage, order: 850, permission: 'tenant:read' }];
