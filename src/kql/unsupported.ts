import { ChatopsError } from '../core/errors.ts';

/** The one error for anything outside the local workspace's KQL subset: never a wrong answer instead. */
export function unsupported(what: string): ChatopsError {
  return new ChatopsError('unsupported_query', `not supported by the local workspace: ${what}`);
}
