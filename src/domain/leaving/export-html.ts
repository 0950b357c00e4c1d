import type { Locale } from '../../i18n/locales.js';
import { translate, translateRich } from '../../i18n/translate.js';
import { formatDateTime } from '../time-zones.js';
import type { MemberExport } from './leaving.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

/** Everything that reaches the page goes through here: no markup from the data survives. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => ESCAPES[c]!);
}

/** "contentWarning" → "Content warning". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const MAX_DEPTH = 12;

/** A moment as JSON writes it (Date.toJSON): 2025-01-01T00:00:00.000Z. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/** A moment, shown as on the site in `zone`, keeping the exact instant in the markup. */
function renderInstant(iso: string, zone: string, locale: Locale): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return escapeHtml(iso);
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(formatDateTime(at, zone, locale))}</time>`;
}

/** How values are shown: times in `zone`, words in `locale`. */
interface Shown {
  zone: string;
  locale: Locale;
}

function renderValue(value: unknown, depth: number, shown: Shown): string {
  const none = () => `<span class="none">${escapeHtml(translate(shown.locale, 'accounts.export.none'))}</span>`;
  if (value === null || value === undefined || value === '') return none();
  if (typeof value === 'boolean') return escapeHtml(translate(shown.locale, value ? 'accounts.export.yes' : 'accounts.export.no'));
  if (typeof value === 'number') return escapeHtml(String(value));
  if (typeof value === 'string' && INSTANT.test(value)) return renderInstant(value, shown.zone, shown.locale);
  if (typeof value === 'string') {
    return value.includes('\n') || value.length > 120 ? `<pre>${escapeHtml(value)}</pre>` : escapeHtml(value);
  }
  if (depth >= MAX_DEPTH) return `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return none();
    return `<ol>${value.map((v) => `<li>${renderValue(v, depth + 1, shown)}</li>`).join('')}</ol>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return none();
    return `<dl>${entries.map(([k, v]) => `<dt>${escapeHtml(humanize(k))}</dt><dd>${renderValue(v, depth + 1, shown)}</dd>`).join('')}</dl>`;
  }
  return escapeHtml(String(value));
}

const STYLE = `body{font-family:system-ui,sans-serif;line-height:1.5;max-width:52rem;margin:0 auto;padding:1rem;color:#1f1b16;background:#fbf8f3}
dl{margin:.25rem 0 .75rem;padding-left:.75rem;border-left:2px solid #d9cfc4}dt{font-weight:600}dd{margin:0 0 .4rem}
ol{padding-left:1.5rem}li{margin-bottom:.75rem}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #d9cfc4;padding:.5rem;margin:.25rem 0}
.none{color:#5a5047;font-style:italic}h2{margin-top:2rem;border-bottom:1px solid #d9cfc4}`;

/**
 * The readable copy of an export: one self-contained page (no scripts, no
 * outside requests: its own Content-Security-Policy forbids both), every
 * value escaped. Posts show their markdown source as text, as typed.
 */
export function exportToHtml(doc: MemberExport): string {
  const plain = JSON.parse(JSON.stringify(doc)) as MemberExport;
  const names = Object.keys(plain.sections);
  const zone = plain.timeZone || 'UTC';
  const locale: Locale = plain.language ?? 'en';
  const shown = { zone, locale };
  const title = escapeHtml(translate(locale, 'accounts.export.title', { name: plain.instance.name, handle: plain.handle }));
  const copied = translateRich(
    locale,
    'accounts.export.copied',
    { when: '\u0000when\u0000', url: plain.instance.url, zone },
    { code: (chunks) => `<code>${chunks}</code>` },
    escapeHtml,
  ).replace(escapeHtml('\u0000when\u0000'), renderInstant(plain.exportedAt, zone, locale));
  const heading = (name: string) => escapeHtml(plain.titles[name] ?? humanize(name));
  const sections = names
    .map((name) => `<section id="${escapeHtml(name)}"><h2>${heading(name)}</h2>${renderValue(plain.sections[name], 0, shown)}</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p>${copied}</p>
<nav aria-label="${escapeHtml(translate(locale, 'accounts.export.sections'))}"><ul>${names.map((n) => `<li><a href="#${escapeHtml(n)}">${heading(n)}</a></li>`).join('')}</ul></nav>
${sections}
</main>
</body>
</html>
`;
}
