/** The incidents slice's public API for other slices (see docs/incidents.md). */
export { blockedVersions, type BlockedVersion } from './signals.ts';
export { incidentReportContent } from './report-content.ts';
