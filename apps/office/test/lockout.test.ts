import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { afterFailure, afterSuccess, isLocked, LOCK_MINUTES, MAX_FAILED_LOGINS, type LoginState } from '../src/auth/lockout.js';
import { isStrongPassword } from '../src/auth/passwords.js';

describe('account lockout', () => {
  const now = new Date('2026-11-25T08:00:00Z');

  it(`locks the account for ${LOCK_MINUTES} minutes at the ${MAX_FAILED_LOGINS}th failure in a row`, () => {
    let state: LoginState = afterSuccess;
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
      state = afterFailure(state, now);
      assert.equal(isLocked(state, now), false, `not locked after ${i} failures`);
    }
    state = afterFailure(state, now);
    assert.equal(isLocked(state, now), true);
    assert.equal(isLocked(state, new Date(now.getTime() + LOCK_MINUTES * 60_000 - 1)), true);
    assert.equal(isLocked(state, new Date(now.getTime() + LOCK_MINUTES * 60_000)), false);
  });

  it('starts counting again after the lock ends', () => {
    let state: LoginState = afterSuccess;
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) state = afterFailure(state, now);
    const later = new Date(now.getTime() + LOCK_MINUTES * 60_000 + 1);
    state = afterFailure(state, later);
    assert.equal(isLocked(state, later), false);
    assert.equal(state.failedLogins, 1);
  });
});

describe('password rule', () => {
  it('asks for 10 characters with letters and digits', () => {
    assert.equal(isStrongPassword('VanBan@2026'), true);
    assert.equal(isStrongPassword('Mậtkhẩu2026'), true);
    assert.equal(isStrongPassword('short1'), false);
    assert.equal(isStrongPassword('onlyletterslong'), false);
    assert.equal(isStrongPassword('1234567890'), false);
  });
});
