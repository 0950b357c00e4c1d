import { once } from 'node:events';
import { createHearth } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { HearthError } from './domain/errors.js';

/** Starts Hearth: reads the configuration, opens the database, listens. */
async function main(): Promise<void> {
  const config = loadConfig();
  const hearth = await createHearth({ config });
  const server = hearth.app.listen(config.port, config.host);
  await once(server, 'listening');
  hearth.startBackgroundJobs();
  hearth.logger.info(
    { host: config.host, port: config.port, database: hearth.db.kind },
    `Hearth is listening; open ${config.publicUrl.href}`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    hearth.logger.info({ signal }, 'stopping');
    server.close(() => {
      hearth.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeIdleConnections();
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
