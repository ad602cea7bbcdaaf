import { en, type Messages } from './en';

const catalogs: Record<string, Messages> = { en };

/** The active catalog: the browser's language when a catalog exists for it, else English. */
function pickCatalog(): Messages {
  const languages = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  for (const language of languages) {
    const catalog = catalogs[language.toLowerCase().split('-')[0]];
    if (catalog) return catalog;
  }
  return en;
}

export const t: Messages = pickCatalog();

/** Fills `{name}` placeholders: fmt(t.app.requestId, { id }) */
export function fmt(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
