import { ConflictError } from '../../domain/errors.js';
import { pgErrorCode, UNIQUE_VIOLATION, type Queryable } from '../database.js';

/** Claims a handle in the namespace members and circles share. */
export async function claimHandle(q: Queryable, name: string, kind: 'member' | 'circle', field: string): Promise<void> {
  try {
    await q.query('INSERT INTO handles (name, kind) VALUES ($1, $2)', [name, kind]);
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) {
      const what = kind === 'member' ? 'handle' : 'address';
      throw new ConflictError(`"${name}" is already taken.`, { [field]: `That ${what} is already taken. Please choose another.` });
    }
    throw error;
  }
}

export async function handleKind(q: Queryable, name: string): Promise<'member' | 'circle' | undefined> {
  const rows = await q.query<{ kind: 'member' | 'circle' }>('SELECT kind FROM handles WHERE name = $1', [name]);
  return rows[0]?.kind;
}
