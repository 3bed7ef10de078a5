// World manufacturer identifiers (VIN positions 1-3) of makers building in China. Reference data:
// an unknown WMI is a warning, never an error (the list is not complete and new WMIs are assigned).
export const WMI_SOURCE = {
  title: 'Public WMI lists (SAE/ISO 3780 assignments), as collected in the icvgate domain notes (identifiers.md)',
  asOf: '2025',
};

export const WMI: Readonly<Record<string, string>> = {
  LRW: 'Tesla China',
  LFV: 'FAW-Volkswagen',
  LSV: 'SAIC Volkswagen',
  LSG: 'SAIC-GM',
  LBV: 'BMW Brilliance',
  LE4: 'Beijing Benz',
  LFM: 'FAW Toyota',
  LVG: 'GAC Toyota',
  LHG: 'GAC Honda',
  LVH: 'Dongfeng Honda',
  LGB: 'Dongfeng Nissan',
  LVS: 'Changan Ford',
  LYV: 'Volvo China',
  LZW: 'SAIC-GM-Wuling',
  LGX: 'BYD',
  LVV: 'Chery',
  LGW: 'Great Wall',
  L6T: 'Geely',
  LMG: 'GAC Trumpchi',
  LSJ: 'SAIC MG',
  LJ1: 'JAC',
  LFP: 'FAW',
  LPS: 'Polestar',
};

export function manufacturerOf(vin: string): string | undefined {
  return WMI[vin.slice(0, 3).toUpperCase()];
}
