/** One error type for the domain; HTTP maps `code` to a status through ERROR_STATUS. */
export type FieldError = { path: string; message: string; line?: number };

export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gate_refused: 409,
  invalid_transition: 409,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  integrity_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, extra: { errors?: FieldError[]; details?: Record<string, unknown> } = {}) {
    super(message);
    this.code = code;
    this.errors = extra.errors;
    this.details = extra.details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string, id: string) => new AppError('not_found', `${what} ${id} not found`, { details: { id } });
export const validationFailed = (errors: FieldError[], message = 'the input is not valid') =>
  new AppError('validation_failed', message + ': ' + errors.slice(0, 3).map((e) => `${e.path || '(body)'}: ${e.message}`).join('; '), { errors });
export const conflict = (message: string, details?: Record<string, unknown>) => new AppError('conflict', message, { details });
