// Shared values for the products tests and the demo: a complete, valid Annex 2 set (candidate catalog).
import type { Values } from '../regimes/cn-2025/parameters.ts';

export function fullValues(over: Partial<Values> = {}): Values {
  return {
    'general.cdasFitted': true, 'general.otaCapable': true,
    'cdas.systemName': 'NOA 领航辅助', 'cdas.functions': ['ACC', 'LCC', 'NOA_HIGHWAY'], 'cdas.tier': 'navigation',
    'cdas.odd.roadTypes': ['highway', 'urban_expressway'], 'cdas.odd.speedMin': 0, 'cdas.odd.speedMax': 130,
    'cdas.odd.weather': ['clear', 'light_rain'], 'cdas.odd.lighting': ['daylight', 'night_lit'],
    'cdas.takeoverStrategy': 'Takeover request 10 s before the end of the operating conditions; minimal risk manoeuvre after 20 s without response.',
    'cdas.riskMitigation': true, 'cdas.dms.handsOffDetection': true, 'cdas.dms.eyesOffDetection': true,
    'cdas.dms.firstWarningDelay': 10, 'cdas.dms.misuseLockout': 30,
    'cdas.sensors.cameras': 11, 'cdas.sensors.radars': 5, 'cdas.sensors.lidars': 1, 'cdas.sensors.ultrasonic': 12,
    'cdas.controller': 'ADCU-8295', 'cdas.eventDataRecording': true,
    'ota.mode': 'remote_and_local', 'ota.upgradableSystems': ['ADCU', 'BMS', 'IVI'], 'ota.swin': ['SWIN-ADAS-2.0'],
    'ota.preconditions': 'P gear, state of charge at least 30 %, vehicle parked', 'ota.energyCheck': true, 'ota.failureHandling': 'rollback', 'ota.userConfirmation': true,
    ...over,
  } as Values;
}

/** The smallest valid PDF-looking file: starts with the PDF magic bytes. */
export function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`);
}
