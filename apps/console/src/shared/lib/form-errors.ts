import { useState } from 'react';
import { fmt, t } from '../../i18n';
import { ApiError } from '../api/errors';

export interface FormErrors {
  fields: Record<string, string>;
  form?: string;
}

/**
 * The API's answer to a form: each `details[]` entry goes next to its field (when the form has
 * that field), anything else above the form, with the request id for support.
 */
export function toFormErrors(error: unknown, fieldNames: readonly string[]): FormErrors {
  if (!(error instanceof ApiError)) return { fields: {}, form: t.app.genericError };
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const detail of error.details) {
    const name = fieldNames.find((field) => detail.field === field || detail.field.startsWith(`${field}.`));
    if (name) fields[name] = detail.problems.join(' ');
    else unplaced.push(detail.problems.join(' '));
  }
  const placed = Object.keys(fields).length > 0;
  const form =
    placed && unplaced.length === 0
      ? undefined
      : [unplaced.length ? unplaced.join(' ') : error.message, error.requestId ? fmt(t.app.requestId, { id: error.requestId }) : '']
          .filter(Boolean)
          .join(' · ');
  return { fields, form };
}

export function useFormErrors(fieldNames: readonly string[]) {
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  return {
    errors,
    clear: () => setErrors({ fields: {} }),
    fromError: (error: unknown) => {
      const next = toFormErrors(error, fieldNames);
      setErrors(next);
      const first = Object.keys(next.fields)[0];
      if (first) requestAnimationFrame(() => (document.querySelector(`[name="${first}"]`) as HTMLElement | null)?.focus());
    },
    setField: (field: string, message: string) => setErrors((current) => ({ ...current, fields: { ...current.fields, [field]: message } })),
  };
}
