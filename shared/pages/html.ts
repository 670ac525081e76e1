// What every served page needs to put text into HTML safely.
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for an HTML element or a quoted attribute. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** HTML already built here: interpolated into `html` as is, where any other value is escaped. */
export class Markup {
  constructor(readonly text: string) {}
}

const render = (value: unknown): string =>
  value instanceof Markup
    ? value.text
    : Array.isArray(value)
      ? value.map(render).join('')
      : value === undefined || value === null
        ? ''
        : escapeHtml(String(value));

/** A template of markup: arrays are joined, `undefined` and `null` are empty, every other value is escaped. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  return new Markup(strings.reduce((out, text, i) => out + render(values[i - 1]) + text));
}
