import { useId, type ReactElement, type ReactNode, cloneElement } from 'react';
import { ApiError } from '../api.ts';

/**
 * A labelled form control with its error under it. Pass the API error and the field's path
 * (`error={mutation.error} path="name.en"`) or an explicit message in `message`.
 */
export function Field({
  label,
  hint,
  error,
  path,
  message,
  required,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: unknown;
  path?: string;
  message?: string;
  required?: boolean;
  children: ReactElement<{ id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;
}) {
  const id = useId();
  const problem = message ?? (error instanceof ApiError && path ? error.fieldError(path) : undefined);
  const control = cloneElement(children, {
    id: children.props.id ?? id,
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': problem ? `${id}-error` : undefined,
  });
  return (
    <div className={`field${problem ? ' field-invalid' : ''}`}>
      <label htmlFor={children.props.id ?? id}>
        {label}
        {required && <span className="required">*</span>}
      </label>
      {control}
      {hint && !problem && <div className="field-hint">{hint}</div>}
      {problem && (
        <div className="field-error" id={`${id}-error`}>
          {problem}
        </div>
      )}
    </div>
  );
}
