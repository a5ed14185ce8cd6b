// The pieces every part of the HTML report is built from: text is escaped when written, and markup is
// only what the report builds itself from escaped parts, so a string from a results file is never markup.
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A table cell: text (escaped when written) or markup built here from escaped parts. Text is the default. */
export type CellContent = string | { readonly html: string };

export const markup = (html: string): CellContent => ({ html });

export function table(header: readonly string[], rows: readonly (readonly CellContent[])[]): string {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'string' ? escapeHtml(c) : c.html}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}
