import type { DataSource } from 'typeorm';

type State = { version: number; disabled: boolean; at: number };

/**
 * Whether an access token still speaks for its person: the person exists, is not disabled, and its token version
 * (bumped on disable, role, unit or password change) is the one the token was signed with. Checked on every
 * authenticated request; a short in-process cache keeps it off the database on hot paths, and this instance
 * forgets a person at once when it changes them. Another instance sees the change within `ttlMs`.
 */
export class PersonStateCache {
  private readonly states = new Map<string, State>();

  constructor(private readonly db: DataSource, private readonly ttlMs: number, private readonly maxEntries = 50_000) {}

  async isCurrent(personId: string, tokenVersion: number): Promise<boolean> {
    const now = Date.now();
    let s = this.states.get(personId);
    if (!s || now - s.at > this.ttlMs) {
      const [row]: { token_version: number; disabled: boolean }[] = await this.db.query(
`SELECT token_version, disabled FROM person WHERE id = $1`, [personId],
      );
      if (!row) return false;
      if (this.states.size >= this.maxEntries) this.states.clear();
      s = { version: row.token_version, disabled: row.disabled, at: now };
      this.states.set(personId, s);
    }
    return !s.disabled && s.version === tokenVersion;
  }

  /** Called after this process changed the person (disable, roles…), so its next request is checked afresh. */
  forget(personId: string): void {
    this.states.delete(personId);
  }
}
