import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * pdfkit never falls back between fonts, so every text run needs one font that covers Chinese and
 * Latin. The npm package @embedpdf/fonts-sc (Noto Sans Hans OTF, SIL OFL 1.1) ships with the app, so
 * `npm install && npm start` needs no system fonts; Debian's Noto CJK or WenQuanYi Micro Hei are the
 * fallback; a directory with regular.otf and bold.otf can be named explicitly (`fontDir`).
 */
type Candidate = { source: string; regular: string; bold: string; family?: string; boldFamily?: string };

function npmCandidate(): Candidate | null {
  try {
    // The package exports only its JS entry (dist/index.cjs); the fonts sit in ../fonts beside it.
    const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
    const dir = join(dirname(dirname(entry)), 'fonts');
    return { source: '@embedpdf/fonts-sc', regular: join(dir, 'NotoSansHans-Regular.otf'), bold: join(dir, 'NotoSansHans-Bold.otf') };
  } catch {
    return null;
  }
}

const SYSTEM: Candidate[] = [
  { source: 'fonts-noto-cjk', regular: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular',
    bold: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', boldFamily: 'NotoSansCJKsc-Bold' },
  { source: 'fonts-wqy-microhei', regular: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei',
    bold: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', boldFamily: 'WenQuanYiMicroHei' },
];

export type LoadedFont = { source: string; regular: { data: Buffer; family?: string }; bold: { data: Buffer; family?: string } };

let cached: LoadedFont | undefined;

/** The CJK font for PDFs; throws with the list of places it looked when none is installed. */
export function cjkFont(fontDir?: string): LoadedFont {
  if (cached && !fontDir) return cached;
  const candidates: Candidate[] = [];
  if (fontDir) candidates.push({ source: fontDir, regular: join(fontDir, 'regular.otf'), bold: join(fontDir, 'bold.otf') });
  const npm = npmCandidate();
  if (npm) candidates.push(npm);
  candidates.push(...SYSTEM);
  for (const c of candidates) {
    if (!existsSync(c.regular)) continue;
    const regular = { data: readFileSync(c.regular), family: c.family };
    const bold = existsSync(c.bold) ? { data: readFileSync(c.bold), family: c.boldFamily } : regular;
    const font = { source: c.source, regular, bold };
    if (!fontDir) cached = font;
    return font;
  }
  throw new Error(`no CJK font for PDFs: looked at ${candidates.map((c) => c.regular).join(', ')}; run npm install (package @embedpdf/fonts-sc) or apt-get install fonts-noto-cjk`);
}
