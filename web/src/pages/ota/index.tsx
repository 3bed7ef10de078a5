import type { PageDef } from '../../pages.ts';
import { CampaignForm } from './CampaignForm.tsx';
import { CampaignList } from './CampaignList.tsx';
import { CampaignPage } from './CampaignPage.tsx';
import { VehiclesPage } from './VehiclesPage.tsx';

export const pages: PageDef[] = [
  { path: '/vehicles', navKey: 'ota:nav.vehicles', permission: 'vehicles:read', element: VehiclesPage, order: 250 },
  { path: '/campaigns', navKey: 'ota:nav.campaigns', permission: 'campaigns:read', element: CampaignList, order: 300 },
  { path: '/campaigns/new', permission: 'campaigns:write', element: CampaignForm },
  { path: '/campaigns/:campaignId/edit', permission: 'campaigns:write', element: CampaignForm },
  { path: '/campaigns/:campaignId', permission: 'campaigns:read', element: CampaignPage },
];
