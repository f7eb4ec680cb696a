// Runs Kizuki: reads config, opens (and locks) the database, listens, shuts down gracefully.
import { loadConfig, ConfigError } from './config.ts';
import { openDatabase } from './db/client.ts';
import { lockDataDir, DataDirLockedError } from './db/data-dir-lock.ts';
import { buildApp } from './app.ts';
import os from 'node:os';
import { listensOnAllInterfaces, shareInfo } from './net/share-origin.ts';
import { LISTEN_BACKLOG } from './net/listen-backlog.ts';
import { accountCount, createFacilitator } from './domain/users.ts';
import { passwordProblem } from '../shared/auth/password-rules.ts';

/** Why the start-up admin password would be refused by POST /api/setup (its length, then its strength), or null. */
function adminPasswordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < 10) return 'パスワードは10文字以上で入力してください / Password must be at least 10 characters';
  if (length > 256) return 'パスワードは256文字以内で入力してください / Password must be at most 256 characters';
  return passwordProblem(password)?.message ?? null;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const releaseLock = config.databaseUrl ? async () => {} : await lockDataDir(config.dataDir);
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    onFatal: (err) => {
      // Edits can no longer be saved; clients keep theirs (y-indexeddb) and resend after a restart.
      console.error(`Kizuki must stop: ${err.message}`);
      process.exit(1);
    },
  });
  await database.migrate();

  if (config.adminEmail && config.adminPassword && (await accountCount(database.db)) === 0) {
    // The same password rules as POST /api/setup: a weak one stops the start, the database closed cleanly.
    const weak = adminPasswordProblem(config.adminPassword);
    if (weak) {
      await database.close();
      await releaseLock();
      throw new ConfigError(`KIZUKI_ADMIN_PASSWORD is not accepted: ${weak}`);
    }
    await createFacilitator(database.db, { email: config.adminEmail, password: config.adminPassword, displayName: 'Admin' });
    console.log(`Created the first facilitator, ${config.adminEmail} (display name "Admin"), from KIZUKI_ADMIN_EMAIL / KIZUKI_ADMIN_PASSWORD`);
  }

  const app = await buildApp({ config, database });
  let closing = false;
  const shutdown = async (reason: string, exitCode = 0) => {
    if (closing) return;
    closing = true;
    app.log.info(`${reason}: saving documents and closing`);
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 15 s; closing the database and exiting');
      // Still close the embedded database cleanly: an unclean stop risks its data directory.
      void database.close().finally(() => process.exit(1));
      setTimeout(() => process.exit(1), 3_000).unref();
    }, 15_000);
    force.unref();
    try {
      await app.close();
      if (app.docs.unsaved > 0) {
        app.log.error({ unsaved: app.docs.unsaved }, 'some document edits could not be saved before stopping');
        exitCode = 1;
      }
      await database.close();
      await releaseLock();
    } catch (err) {
      app.log.error({ err }, 'error while shutting down');
      exitCode = 1;
    } finally {
      clearTimeout(force);
    }
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // A bug must not take the open documents with it: log, then save and stop like on SIGTERM.
  process.on('uncaughtException', (err) => {
    app.log.fatal({ err }, 'uncaught exception');
    void shutdown('uncaught exception', 1);
  });
  process.on('unhandledRejection', (err) => {
    app.log.fatal({ err }, 'unhandled promise rejection');
    void shutdown('unhandled rejection', 1);
  });

  await app.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
  const port = (app.server.address() as { port: number }).port;
  const share = shareInfo({ host: config.host, port, publicOrigin: config.publicOrigin, interfaces: os.networkInterfaces() });
  // This machine's browser: 0.0.0.0 / :: are not addresses to open.
  const hostForUrl = listensOnAllInterfaces(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = config.publicOrigin ?? `http://${hostForUrl}:${port}`;
  console.log(`\nKizuki is running at ${url}  (database: ${database.driver === 'pg' ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`})`);
  if (share.shareOrigin && share.shareOrigin !== url) console.log(`Phones on the same network: ${share.shareOrigin}`);
  if (share.loopbackOnly) console.log('Only this computer can open it. To let phones in the room join: HOST=0.0.0.0 npm start');
  if ((await accountCount(database.db)) === 0) {
    console.log(
      `No facilitator account yet. Open ${url}/ to create the first one, or run:\n` +
        `  curl -X POST ${url}/api/setup -H 'Content-Type: application/json' -H 'Origin: ${url}' \\\n` +
        `    -d '{"email":"you@example.jp","password":"at-least-10-chars","displayName":"Your name"}'\n` +
        `(or start with KIZUKI_ADMIN_EMAIL and KIZUKI_ADMIN_PASSWORD set)`,
    );
  }
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(`Kizuki cannot start: ${err.message}`);
  } else {
    console.error('Kizuki failed to start:', err);
  }
  process.exit(1);
});
