import { useState } from 'react';
import { useT } from '../i18n.ts';

/** A monospace value with a copy button (tokens shown once, hashes, receipt numbers). */
export function CopyText({ value, short }: { value: string; short?: boolean }) {
  const { t } = useT();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1500);
    } catch {
      // clipboard refused (insecure context): the value stays selectable
    }
  };
  return (
    <span className="copy-text">
      <span className="mono" title={value}>{short ? `${value.slice(0, 12)}…` : value}</span>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => void copy()}>
        {copied ? t('actions.copied') : t('actions.copy')}
      </button>
    </span>
  );
}
