import { ApiError, type Bilingual } from './api';

/** The message a person should read for a failure, in the chosen language. */
export function errorText(error: unknown, pick: (text: Bilingual) => string): string {
  if (error instanceof ApiError) return pick(error.text);
  return error instanceof Error ? error.message : String(error);
}
