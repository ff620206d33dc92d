/** After this many failed logins in a row, the account locks for LOCK_MINUTES. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export interface LoginState {
  readonly failedLogins: number;
  readonly lockedUntil: Date | null;
}

export function isLocked(state: LoginState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil > now;
}

/**
 * The state after one more failed attempt (never called while locked): the
 * counter grows, and at the limit the account locks and the counter restarts.
 */
export function afterFailure(state: LoginState, now: Date): LoginState {
  const failedLogins = state.failedLogins + 1;
  if (failedLogins >= MAX_FAILED_LOGINS) {
    return { failedLogins: 0, lockedUntil: new Date(now.getTime() + LOCK_MINUTES * 60_000) };
  }
  return { failedLogins, lockedUntil: null };
}

export const afterSuccess: LoginState = { failedLogins: 0, lockedUntil: null };
