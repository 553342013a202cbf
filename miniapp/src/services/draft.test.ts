import { networkError, toApiError } from './api-error';
import { createDraftStore, openDraft } from './draft';
import { createMemoryStorage, type KeyValueStorage } from './storage';
import { keySequence } from '../test-support/fake-transport';

type TicketForm = { categoryId: string; description: string; photos: string[] };
const EMPTY: TicketForm = { categoryId: '', description: '', photos: [] };
const FORM = 'u1:ticket-new';

function setup(storage: KeyValueStorage = createMemoryStorage(), now = () => 1_000_000) {
  const store = createDraftStore({ storage, now });
  const newKey = keySequence();
  return { storage, store, open: () => openDraft(store, FORM, EMPTY, { newKey }) };
}

describe('draft persistence', () => {
  it('persists every change at once and restores it when the form is opened again (e.g. after a restart)', () => {
    const { storage, open } = setup();
    const first = open();
    expect(first.restored).toBe(false);
    first.update((v) => ({ ...v, categoryId: 'c-water' }));
    first.update((v) => ({ ...v, description: '厂区排水管道堵塞' }));
    expect(storage.get('draft:' + FORM)).toMatchObject({ values: { categoryId: 'c-water', description: '厂区排水管道堵塞' } });

    const reopened = open();
    expect(reopened.restored).toBe(true);
    expect(reopened.values).toEqual({ categoryId: 'c-water', description: '厂区排水管道堵塞', photos: [] });
    expect(reopened.idempotencyKey).toBe(first.idempotencyKey);
  });

  it('does not store anything for a form that was only opened', () => {
    const { storage, open } = setup();
    open();
    expect(storage.keys()).toEqual([]);
  });

  it('keeps drafts of different forms apart', () => {
    const storage = createMemoryStorage();
    const store = createDraftStore({ storage });
    openDraft(store, 'u1:a', { x: '' }).update({ x: 'A' });
    openDraft(store, 'u1:b', { x: '' }).update({ x: 'B' });
    expect(openDraft(store, 'u1:a', { x: '' }).values).toEqual({ x: 'A' });
    expect(openDraft(store, 'u2:a', { x: '' }).restored).toBe(false);
  });

  it('fills fields added to the form since the draft was saved from the initial values', () => {
    const storage = createMemoryStorage({ ['draft:' + FORM]: { values: { description: '旧草稿' }, idempotencyKey: 'k', updatedAt: 1_000_000 } });
    const { open } = setup(storage);
    expect(open().values).toEqual({ categoryId: '', description: '旧草稿', photos: [] });
  });

  it('drops drafts older than 30 days and unreadable ones', () => {
    const storage = createMemoryStorage({
      ['draft:' + FORM]: { values: EMPTY, idempotencyKey: 'k', updatedAt: 0 },
      'draft:u1:broken': 'not a draft',
      'auth.tokens': { accessToken: 'a', refreshToken: 'r' },
    });
    const store = createDraftStore({ storage, now: () => 31 * 24 * 3600 * 1000 });
    expect(store.load(FORM)).toBeUndefined();
    expect(store.prune()).toBe(1);
    expect(storage.keys()).toEqual(['auth.tokens']);
  });

  it("prunes old and unreadable drafts when the app's store is created at start, keeping fresh ones and other keys", () => {
    const day = 24 * 3600 * 1000;
    const storage = createMemoryStorage({
      'draft:u1:old': { values: EMPTY, idempotencyKey: 'k1', updatedAt: 0 },
      'draft:u1:broken': 'not a draft',
      'draft:u1:fresh': { values: EMPTY, idempotencyKey: 'k2', updatedAt: 40 * day },
      'auth.user': { id: 'u1' },
    });
    createDraftStore({ storage, now: () => 45 * day });
    expect(storage.keys().sort()).toEqual(['auth.user', 'draft:u1:broken', 'draft:u1:fresh', 'draft:u1:old']);
    createDraftStore({ storage, now: () => 45 * day, pruneAtStart: true });
    expect(storage.keys().sort()).toEqual(['auth.user', 'draft:u1:fresh']);
  });

  it('clearAll removes every draft of every person, and nothing else', () => {
    const storage = createMemoryStorage({ 'auth.tokens': { accessToken: 'a', refreshToken: 'r' } });
    const store = createDraftStore({ storage });
    openDraft(store, 'u1:ticket-new', { x: '' }).update({ x: '甲公司的诉求' });
    openDraft(store, 'u2:visit-contact:e1', { x: '' }).update({ x: '乙公司' });
    expect(store.clearAll()).toBe(2);
    expect(storage.keys()).toEqual(['auth.tokens']);
  });
});

describe('draft submission', () => {
  it('clears the draft after a successful submit and starts the next one with a new key', async () => {
    const { storage, open } = setup();
    const d = open();
    d.update({ ...EMPTY, description: '用工难' });
    const sent: Array<[TicketForm, string]> = [];
    await expect(d.submit(async (values, key) => (sent.push([values, key]), { id: 't1' }))).resolves.toEqual({ id: 't1' });
    expect(sent).toEqual([[{ ...EMPTY, description: '用工难' }, 'key-1']]);
    expect(storage.keys()).toEqual([]);
    expect(d.values).toEqual(EMPTY);
    expect(d.idempotencyKey).toBe('key-2');
    expect(open().restored).toBe(false);
  });

  it('reuses the key on a retry after a lost response, even after the app was closed in between', async () => {
    const { open } = setup();
    const d = open();
    d.update({ ...EMPTY, description: '融资困难' });
    const keys: string[] = [];
    await expect(d.submit(async (_v, key) => Promise.reject(networkError((keys.push(key), key))))).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(d.values.description).toBe('融资困难');

    const afterRestart = open();
    expect(afterRestart.restored).toBe(true);
    await afterRestart.submit(async (_v, key) => keys.push(key));
    expect(keys).toEqual(['key-1', 'key-1']);
  });

  it('saves the draft with its key before sending, so a crash mid-request still retries with that key', async () => {
    const { storage, open } = setup();
    const d = open();
    let storedDuringSend: unknown;
    await d.submit(async () => {
      storedDuringSend = storage.get('draft:' + FORM);
      return null;
    });
    expect(storedDuringSend).toMatchObject({ values: EMPTY, idempotencyKey: 'key-1' });
  });

  it('takes a new key after a definite refusal, keeping what was typed', async () => {
    const { storage, open } = setup();
    const d = open();
    d.update({ ...EMPTY, description: 'x' });
    await expect(d.submit(async () => Promise.reject(toApiError(400, { error: { code: 'VALIDATION_FAILED' } })))).rejects.toBeDefined();
    expect(d.idempotencyKey).toBe('key-2');
    expect(storage.get('draft:' + FORM)).toMatchObject({ values: { description: 'x' }, idempotencyKey: 'key-2' });
  });

  it('files once when submit is tapped twice', async () => {
    const { open } = setup();
    const d = open();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const send = async () => {
      calls += 1;
      await gate;
      return 'ok';
    };
    const a = d.submit(send);
    const b = d.submit(send);
    expect(d.submitting).toBe(true);
    release();
    await expect(Promise.all([a, b])).resolves.toEqual(['ok', 'ok']);
    expect(calls).toBe(1);
    expect(d.submitting).toBe(false);
  });

  it('discard forgets the draft', () => {
    const { storage, open } = setup();
    const d = open();
    d.update({ ...EMPTY, description: 'y' });
    d.discard();
    expect(storage.keys()).toEqual([]);
    expect(d.values).toEqual(EMPTY);
  });
});
