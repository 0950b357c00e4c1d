import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has defaults that start Hearth locally on the embedded database', () => {
    const c = loadConfig({});
    expect(c.port).to.equal(3000);
    expect(c.host).to.equal('127.0.0.1');
    expect(c.publicUrl.href).to.equal('http://localhost:3000/');
    expect(c.databaseUrl).to.equal(undefined);
    expect(c.dataDir).to.match(/\/data$/);
    expect(c.federation).to.deep.equal({ allowPrivateAddresses: false, allowHttp: false, outboxPaused: false, inboxPaused: false, workPollMs: 10_000 });
    expect(c.database).to.deep.equal({ connectTimeoutMs: 5000, statementTimeoutMs: 10000, idleInTransactionTimeoutMs: 30000, healthTimeoutMs: 1500 });
  });

  it('reads what the process does (HEARTH_ROLE): both by default; web or worker only with PostgreSQL', () => {
    expect(loadConfig({}).role).to.equal('both');
    expect(loadConfig({ HEARTH_ROLE: 'web', DATABASE_URL: 'postgres://u@db/hearth' }).role).to.equal('web');
    expect(loadConfig({ HEARTH_ROLE: 'worker', DATABASE_URL: 'postgres://u@db/hearth' }).role).to.equal('worker');
    expect(() => loadConfig({ HEARTH_ROLE: 'worker' })).to.throw(ConfigError, 'needs DATABASE_URL');
    expect(() => loadConfig({ HEARTH_ROLE: 'everything', DATABASE_URL: 'postgres://u@db/hearth' })).to.throw(ConfigError, 'HEARTH_ROLE');
  });

  it('reads the database time limits, and refuses ones that are not whole milliseconds', () => {
    const c = loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '2000', DATABASE_STATEMENT_TIMEOUT_MS: '60000', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '5000', HEALTH_TIMEOUT_MS: '800' });
    expect(c.database).to.deep.equal({ connectTimeoutMs: 2000, statementTimeoutMs: 60000, idleInTransactionTimeoutMs: 5000, healthTimeoutMs: 800 });
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: 'soon' })).to.throw(ConfigError, 'DATABASE_STATEMENT_TIMEOUT_MS');
  });

  it('reads every variable', () => {
    const c = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      PUBLIC_URL: 'https://hearth.example.org',
      DATABASE_URL: 'postgres://u@db/hearth',
      DATA_DIR: '/var/lib/hearth',
      SESSION_SECRET: 's'.repeat(32),
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '1',
      FEDERATION_ALLOW_PRIVATE_ADDRESSES: '1',
      FEDERATION_ALLOW_HTTP: 'true',
      METRICS_TOKEN: 'm'.repeat(16),
      HEARTH_OUTBOX_PAUSED: '1',
      HEARTH_INBOX_PAUSED: 'true',
      HEARTH_WORK_POLL_SECONDS: '2.5',
    });
    expect(c.metricsToken).to.equal('m'.repeat(16));
    expect(c.port).to.equal(8080);
    expect(c.publicUrl.origin).to.equal('https://hearth.example.org');
    expect(c.databaseUrl).to.equal('postgres://u@db/hearth');
    expect(c.dataDir).to.equal('/var/lib/hearth');
    expect(c.trustProxy).to.equal(1);
    expect(c.federation).to.deep.equal({ allowPrivateAddresses: true, allowHttp: true, outboxPaused: true, inboxPaused: true, workPollMs: 2500 });
  });

  it('reads mail settings only as a pair, and checks them', () => {
    expect(loadConfig({}).mail).to.equal(undefined);
    const c = loadConfig({ SMTP_URL: 'smtp://u:p@mail.example.org:587', MAIL_FROM: 'Our Hearth <hearth@example.org>' });
    expect(c.mail).to.deep.equal({ smtpUrl: 'smtp://u:p@mail.example.org:587', from: 'Our Hearth <hearth@example.org>' });
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.org' })).to.throw('go together');
    expect(() => loadConfig({ MAIL_FROM: 'hearth@example.org' })).to.throw('go together');
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.org', MAIL_FROM: 'hearth@example.org' })).to.throw('SMTP_URL');
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.org', MAIL_FROM: 'not an address' })).to.throw('MAIL_FROM');
  });

  it('fails with precise messages on bad values', () => {
    const attempts: Array<[Record<string, string>, string]> = [
      [{ PORT: 'eighty' }, 'PORT'],
      [{ PORT: '70000' }, 'PORT'],
      [{ DATABASE_URL: 'mongodb://x' }, 'postgres://'],
      [{ SESSION_SECRET: 'short' }, 'at least 32'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
      [{ PUBLIC_URL: 'not a url' }, 'not a URL'],
      [{ PUBLIC_URL: 'ftp://x.org' }, 'http:// or https://'],
      [{ PUBLIC_URL: 'https://x.org/forum' }, 'without a path'],
      [{ FEDERATION_ALLOW_HTTP: 'yes' }, 'FEDERATION_ALLOW_HTTP'],
      [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    ];
    for (const [env, expected] of attempts) {
      expect(() => loadConfig(env), JSON.stringify(env)).to.throw(ConfigError, expected);
    }
  });
});
