import Module, { createRequire } from 'node:module';
import type ActivitypubExpressFactory from 'activitypub-express';

/**
 * activitypub-express, loaded without its MongoDB store. Its entry module
 * requires `./store` (a MongoDB implementation, which loads the whole MongoDB
 * driver: about 40 MiB of memory and half a second of start) even when, as in
 * Hearth, a store of one's own is given. Before apex is loaded, that one
 * module is put in Node's module cache as a placeholder that refuses to be
 * used, so the driver is never read. Hearth always passes its PostgreSQL store
 * (`apex-store/`), so the placeholder is never constructed.
 */
const require = createRequire(import.meta.url);
const mongoStore = require.resolve('activitypub-express/store/index.js');

class MongoStoreNotLoaded {
  constructor() {
    throw new Error("activitypub-express's MongoDB store is not loaded in Hearth: pass Hearth's PostgreSQL store");
  }
}

if (!require.cache[mongoStore]) {
  const placeholder = new Module(mongoStore);
  placeholder.filename = mongoStore;
  placeholder.loaded = true;
  placeholder.exports = MongoStoreNotLoaded;
  require.cache[mongoStore] = placeholder;
}

export const ActivitypubExpress = require('activitypub-express') as typeof ActivitypubExpressFactory;
