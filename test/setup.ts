import { closeTestDatabase } from './helpers/database.js';

/** Mocha root hooks: the shared test database is closed once, at the end. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await closeTestDatabase();
  },
};
