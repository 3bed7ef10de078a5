// The OTA slice as other slices use it (filings, demo, UI tests). See docs/ota.md.
export { createCampaign } from './create-campaign.ts';
export { updateCampaign } from './update-campaign.ts';
export { classifyCampaignUseCase as classifyCampaign } from './classify-campaign.ts';
export { transitionCampaign } from './transition-campaign.ts';
export { recordStep } from './record-step.ts';
export { getCampaign, listCampaigns, getAuthorization } from './queries.ts';
export { reconciliation, type Reconciliation } from './reconciliation.ts';
export { checkGate } from './gate-check.ts';
export { postRolloutReports } from './rollout.ts';
export { jwks, rotateSigningKey } from './keys.ts';
export { verifyAuthorization, type AuthorizationClaims } from './signing.ts';
export type { CampaignView } from './present.ts';
export type { CampaignContent, CampaignState } from './model.ts';
