import argon2 from 'argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/**
 * argon2id with OWASP's recommended floor raised: 64 MiB of memory, 3 passes,
 * 1 lane. The parameters are stored inside each hash, so raising them later
 * does not lock anyone out. Tests use lighter settings to stay quick.
 */
export const ARGON2_PARAMETERS = { memoryCost: 65_536, timeCost: 3, parallelism: 1 } as const;
const LIGHT_PARAMETERS = { memoryCost: 1024, timeCost: 2, parallelism: 1 } as const;

export function argon2Hasher(weight: 'standard' | 'light' = 'standard'): PasswordHasher {
  const params = weight === 'standard' ? ARGON2_PARAMETERS : LIGHT_PARAMETERS;
  return {
    hash: (password) => argon2.hash(password, { type: argon2.argon2id, ...params }),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch (error) {
        // A stored hash argon2 cannot read matches no password.
        if (error instanceof Error) return false;
        throw error;
      }
    },
  };
}
