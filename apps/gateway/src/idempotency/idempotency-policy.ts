import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/principal';

export const RERUN_AFTER_UNKNOWN_OUTCOME = 'passway:idempotency:rerun';
export const RESPONSE_CARRIES_SECRET = 'passway:idempotency:secret';

/**
 * Running the handler again after an unknown outcome (a 5xx or a deadline) finds what the first
 * attempt did: it derives its resource ids from the Idempotency-Key, or its effect is idempotent.
 * Routes without it answer such a retry 409 idempotency_outcome_unknown.
 */
export const RerunAfterUnknownOutcome = () => SetMetadata(RERUN_AFTER_UNKNOWN_OUTCOME, true);

/** The response shows a secret once (a new API key, a webhook signing secret): it is never kept for replay. */
export const ResponseCarriesSecret = () => SetMetadata(RESPONSE_CARRIES_SECRET, true);

/** The request's validated Idempotency-Key, if it has one. */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => context.switchToHttp().getRequest<AuthenticatedRequest>().idempotencyKey,
);
