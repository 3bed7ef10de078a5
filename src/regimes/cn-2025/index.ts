/** The rule pack for 工信部联通装〔2025〕45号 and the earlier rules it builds on. */
export const REGIME = {
  id: 'cn-2025',
  version: '2025.1.0',
  title: {
    zh: '工业和信息化部 市场监管总局关于进一步加强智能网联汽车产品准入、召回及软件在线升级管理的通知（工信部联通装〔2025〕45号）',
    en: 'MIIT/SAMR notice on ICV product access, recall and OTA management (MIIT Lian Tong Zhuang [2025] No. 45)',
  },
  issued: '2025-02-25',
} as const;

export type RuleRef = { rule: string; source: string; regime: string; regimeVersion: string };

export const ref = (rule: string, source: string): RuleRef => ({ rule, source, regime: REGIME.id, regimeVersion: REGIME.version });
