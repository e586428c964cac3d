import { HttpError } from '../../http/http-errors';
import type { MessageKey } from '../../http/messages/catalogue';

/**
 * 409 `illegal_transition`: the move is not in the status table. The problem names the
 * statuses the record could move to, as `allowed`, so a client can offer them.
 */
export class IllegalTransitionError extends HttpError {
  constructor(key: MessageKey, id: string, from: string, to: string, allowed: readonly string[]) {
    super(409, key, { id, from, to, allowed: allowed.join(', ') || 'none' });
    this.allowed = [...allowed];
  }
}
