/** An error every transport reports as `{code, message}`: a user-facing message, not a stack. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
    this.name = 'ApiError';
  }
}
