import { networkError, toApiError } from './api-error';
import { createSubmission, keyAfterFailure } from './submission';
import { keySequence } from '../test-support/fake-transport';

describe('keyAfterFailure', () => {
  it.each([
    ['no response', networkError('k0'), 'k0'],
    ['gateway timeout', toApiError(504, null), 'k0'],
    ['still in progress', toApiError(409, { error: { code: 'IDEMPOTENCY_IN_PROGRESS' } }), 'k0'],
    ['unexpected throw', new TypeError('oops'), 'k0'],
    ['validation failure', toApiError(400, { error: { code: 'VALIDATION_FAILED' } }), 'new-1'],
    ['conflict', toApiError(409, { error: { code: 'VERSION_CONFLICT' } }), 'new-1'],
    ['forbidden', toApiError(403, null), 'new-1'],
  ])('after %s the next key is %s', (_name, error, expected) => {
    expect(keyAfterFailure(error, 'k0', keySequence('new'))).toBe(expected);
  });
});

describe('createSubmission', () => {
  it('reuses its key across failed attempts of unknown outcome, then starts a new submission after success', async () => {
    const seen: string[] = [];
    const changes: string[] = [];
    const s = createSubmission({ newKey: keySequence(), onKeyChange: (k) => changes.push(k) });
    const send = (fail: boolean) => (key: string) => {
      seen.push(key);
      return fail ? Promise.reject(networkError(key)) : Promise.resolve('ok');
    };
    await expect(s.run(send(true))).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await expect(s.run(send(false))).resolves.toBe('ok');
    await s.run(send(false));
    expect(seen).toEqual(['key-1', 'key-1', 'key-2']);
    expect(changes).toEqual(['key-2', 'key-3']);
  });

  it('resumes with a given key', async () => {
    const s = createSubmission({ key: 'restored' });
    await expect(s.run(async (k) => k)).resolves.toBe('restored');
  });
});
