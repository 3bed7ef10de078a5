import { LOCALES, setLocale, useT } from '../i18n.ts';

/** zh-CN / en toggle; the choice is kept in localStorage. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { t, locale } = useT();
  return (
    <div className={`segmented ${className ?? ''}`} role="group" aria-label={t('lang.label')}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={locale === l}
          className={locale === l ? 'active' : undefined}
          onClick={() => setLocale(l)}
          data-testid={`lang-${l}`}
        >
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}
