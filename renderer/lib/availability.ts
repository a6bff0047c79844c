// Operations other phases are still adding answer `not_found` ("Unknown operation"); screens show a calm
// "not available yet" instead of an error for those, and a real error for everything else.

import type { AppError } from '../api/client';

export function isUnavailableOperation(error: AppError | undefined): boolean {
  return error?.code === 'not_found' && error.message.startsWith('Unknown operation');
}
