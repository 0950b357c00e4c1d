import { once } from 'node:events';
import { createHearth } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { HearthError } from './domain/errors.js';

/** Starts Hearth: reads the configuration, opens the database, listens. */
async function main(): Promise<void> {
  const config = loadConfig();
  const hearth = await createHearth({ config });
  // A worker (HEARTH_ROLE=worker) serves no HTTP: it delivers and keeps house.
  const server = config.role === 'worker' ? undefined : hearth.app.listen(config.port, config.host);
  if (server) await once(server, 'listening');
  hearth.startBackgroundJobs();
  // The render worker (jsdom, about 90 MiB) starts with the first text to render, not here:
  // a server that is only read never needs it (content/render-pool.ts).
  if (server) {
    hearth.logger.info(
      { host: config.host, port: config.port, database: hearth.db.kind, role: config.role },
      `Hearth is listening; open ${config.publicUrl.href}`,
    );
  } else {
    hearth.logger.info({ database: hearth.db.kind, role: config.role }, 'Hearth worker is running');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    hearth.logger.info({ signal }, 'stopping');
    const closeHearth = () =>
      hearth.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    if (server) {
      server.close(closeHearth);
      server.closeIdleConnections();
    } else {
      void closeHearth();
    }
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof HearthError || (error instanceof Error && error.name === 'DataDirInUseError')) {
    console.error(error.message);
  } else {
    console.error('Hearth could not start:', error);
  }
  process.exit(1);
});
