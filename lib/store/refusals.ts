import { AppError } from '../domain/errors';
import type { Ban } from './moderationStore';

/**
 * The store's `banned` refusal, with the ban it found in force (none if it was
 * lifted meanwhile), so the message can say until when and why without a
 * second read.
 */
export class BannedRefusal extends AppError {
  constructor(found: Pick<Ban, 'until' | 'reason'> | undefined) {
    super('banned', found ? { ban: { reason: found.reason, until: found.until } } : {});
  }
}
