/**
 * Why a request cannot be served, as services and domain code say it: a kind of failure (the
 * class), a stable machine-readable `code` (`complaint_not_found`, `business_key_in_use`, …), a
 * message, and details for the caller — field paths (`fields: [{ path, message }]`), BPMN element
 * ids, the instance that holds a business key, seconds to wait before retrying.
 *
 * These classes know nothing of HTTP: the one mapping from a kind to a status is at the HTTP edge
 * (server/http/errors.ts), which answers `{ error: code, message, ...details }` (decision 0048).
 * Throw the narrowest kind; subclass one when callers need to catch a particular failure.
 */
export type ErrorDetails = Record<string, unknown>;

/** The kinds of failure, one per class below; the HTTP edge maps each to its status. */
export type FailureKind =
  | 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large'
  | 'unsupported_media_type' | 'unprocessable' | 'too_many_requests' | 'not_configured' | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: FailureKind;

  constructor(
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request's data is wrong: name the fields (`fields`) or BPMN elements at fault. */
export class Invalid extends DomainError {
  readonly kind = 'invalid';
}

/** No caller identity, or one that is no longer valid. */
export class Unauthenticated extends DomainError {
  readonly kind = 'unauthenticated';
}

/** The caller is known but may not do this. */
export class Forbidden extends DomainError {
  readonly kind = 'forbidden';
}

export class NotFound extends DomainError {
  readonly kind = 'not_found';
}

/** The thing exists, but its state does not allow this now (closed, decided, taken). */
export class Conflict extends DomainError {
  readonly kind = 'conflict';
}

/** Over a size limit (a diagram, an upload, an export). */
export class TooLarge extends DomainError {
  readonly kind = 'too_large';
}

/** The content comes in a type this operation does not read. */
export class UnsupportedMediaType extends DomainError {
  readonly kind = 'unsupported_media_type';
}

/** Well-formed, but the domain cannot act on it (an invalid diagram, an engineer not offered). */
export class Unprocessable extends DomainError {
  readonly kind = 'unprocessable';
}

/** Too many attempts; `retryAfterSeconds` says when to try again. */
export class TooManyRequests extends DomainError {
  readonly kind = 'too_many_requests';

  constructor(code: string, message: string, readonly retryAfterSeconds: number, details?: ErrorDetails) {
    super(code, message, { retryAfterSeconds, ...details });
  }
}

/** This service runs without the part the operation needs. */
export class NotConfigured extends DomainError {
  readonly kind = 'not_configured';
}

/** Busy or not answering right now; the same request may be sent again (after `retryAfterSeconds` when given). */
export class Unavailable extends DomainError {
  readonly kind = 'unavailable';
}
