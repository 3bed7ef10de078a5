/** CSV and iCalendar (RFC 5545) exports of the register; provisional due dates say so. */
import type { Obligation } from './model.ts';

type Lang = 'zh-CN' | 'en';
const HEAD = {
  en: ['id', 'rule', 'part', 'addressee', 'subject type', 'subject id', 'title', 'status', 'due at (UTC)', 'due date (Asia/Shanghai)', 'provisional', 'basis', 'due rule', 'overdue', 'source', 'regime version'],
  'zh-CN': ['编号', '规则', '子项', '报送对象', '对象类型', '对象编号', '事项', '状态', '截止时间（UTC）', '截止日期（北京时间）', '暂定', '依据', '期限计算', '已逾期', '出处', '规则包版本'],
};

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(items: Obligation[], lang: Lang): string {
  const zh = lang === 'zh-CN';
  const lines = [HEAD[lang].map(csvCell).join(',')];
  for (const o of items) {
    lines.push([
      o.id, o.rule, o.part, o.addressee, o.subjectType, o.subjectId, zh ? o.title.zh : o.title.en, o.status, o.due.at, o.due.date,
      o.due.provisional ? (zh ? '是（暂定）' : 'yes (provisional)') : (zh ? '否' : 'no'),
      o.due.basis === 'policy' ? (zh ? '企业政策' : 'policy') : (zh ? '法规' : 'law'),
      o.due.explain, o.overdue ? (zh ? '是' : 'yes') : (zh ? '否' : 'no'), o.source, o.regimeVersion,
    ].map(csvCell).join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n'; // BOM: spreadsheet programs then read UTF-8 Chinese correctly
}

function icsText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}
/** Lines longer than 75 octets are folded (RFC 5545 3.1), never inside a UTF-8 sequence. */
function fold(line: string): string {
  const out: string[] = [];
  let cur = '', bytes = 0;
  for (const ch of line) {
    const b = Buffer.byteLength(ch);
    if (bytes + b > (out.length ? 74 : 75)) { out.push(cur); cur = ''; bytes = 0; }
    cur += ch; bytes += b;
  }
  out.push(cur);
  return out.join('\r\n ');
}
const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function toIcs(items: Obligation[], lang: Lang, now: Date): string {
  const zh = lang === 'zh-CN';
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//icvgate//obligations//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(zh ? 'icvgate 法规义务' : 'icvgate obligations')}`];
  for (const o of items) {
    if (!o.due.date) continue; // undated (tied to an event) obligations have no calendar slot
    const next = new Date(Date.parse(o.due.date + 'T00:00:00Z') + 86_400_000).toISOString().slice(0, 10);
    const title = `${o.due.provisional ? (zh ? '[暂定] ' : '[provisional] ') : ''}${o.addressee} ${o.rule}: ${zh ? o.title.zh : o.title.en}`;
    const desc = [
      `${zh ? '状态' : 'Status'}: ${o.status}${o.overdue ? (zh ? '（已逾期）' : ' (overdue)') : ''}`,
      `${zh ? '截止' : 'Due'}: ${o.due.at ?? o.due.date} (${o.due.basis === 'policy' ? (zh ? '企业政策' : 'policy') : (zh ? '法规' : 'law')}) — ${o.due.explain}`,
      `${zh ? '出处' : 'Source'}: ${o.source}`,
      `${zh ? '对象' : 'Subject'}: ${o.subjectType} ${o.subjectId}`,
    ].join('\n');
    lines.push('BEGIN:VEVENT', `UID:${o.id}@icvgate`, `DTSTAMP:${stamp(now)}`,
      `DTSTART;VALUE=DATE:${o.due.date.replace(/-/g, '')}`, `DTEND;VALUE=DATE:${next.replace(/-/g, '')}`,
      `SUMMARY:${icsText(title)}`, `DESCRIPTION:${icsText(desc)}`, `CATEGORIES:${icsText(o.addressee)}`,
      `STATUS:${o.status === 'withdrawn' || o.status === 'waived' ? 'CANCELLED' : 'CONFIRMED'}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
