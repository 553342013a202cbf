import { isApiError, messageOf } from './api-error';

/**
 * The one mapping from a failed call to the messages a form shows: each API field issue under the form field it
 * belongs to, what belongs to none under `form`. Field issues arrive dotted (`/body/contacts/0/phone` →
 * `contacts.0.phone`, see api-error.ts); a form field takes its own issues and those of everything under it.
 */
export type FormErrorOptions = {
  /** Server field → form field, by the full dotted path or its first part (`amount` → `amountWan`). */
  rename?: Readonly<Record<string, string>>;
  /**
   * Error codes tied to one form field when the server names no field: by code, or by a prefix ending in `*`
   * (`PHOTO_*` → `photo`). The error's message goes under that field.
   */
  codes?: Readonly<Record<string, string>>;
  /** Form fields whose issues keep their full dotted path (`tasks.1.dueOn`), for forms with repeated rows. */
  nested?: readonly string[];
};

/** The message key for `form`: failures that belong to no field of the form. */
export const FORM = 'form';

function codeField(code: string, codes: Readonly<Record<string, string>>): string | undefined {
  if (codes[code]) return codes[code];
  for (const [k, f] of Object.entries(codes)) if (k.endsWith('*') && code.startsWith(k.slice(0, -1))) return f;
  return undefined;
}

/**
 * Messages by form field for a failed call (`fields`: the fields the form shows). Anything not an ApiError, an
 * error without field issues, or issues of fields the form does not show end up under `form` — the form never
 * stays silent. The first issue of a field wins.
 */
export function formErrors(error: unknown, fields: readonly string[], options: FormErrorOptions = {}): Record<string, string> {
  if (!isApiError(error)) return { [FORM]: messageOf(error) };
  const { rename = {}, codes = {}, nested = [] } = options;
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(error.fieldErrors())) {
    const [head, ...rest] = path.split('.');
    const renamed = rename[path] ?? (rename[head] !== undefined ? [rename[head], ...rest].join('.') : path);
    const field = fields.find((f) => renamed === f || renamed.startsWith(`${f}.`));
    const key = !field ? FORM : nested.includes(field) ? renamed : field;
    if (!out[key]) out[key] = message;
  }
  const byCode = codeField(error.code, codes);
  if (byCode && fields.includes(byCode) && !out[byCode]) out[byCode] = error.message;
  if (!Object.keys(out).length) out[FORM] = error.message;
  return out;
}

/** `formErrors` split into field messages and the form's own message (absent when every issue found its field). */
export function splitFormErrors(
  error: unknown, fields: readonly string[], options: FormErrorOptions = {},
): { fields: Record<string, string>; form?: string } {
  const { [FORM]: form, ...rest } = formErrors(error, fields, options);
  return form === undefined ? { fields: rest } : { fields: rest, form };
}
