// Decorates the app with the database. A database handed in by the caller (tests restarting an
// app on the same data) is left open on close; one opened here is closed with the app.
import fp from 'fastify-plugin';
import type { Database } from '../db/client.ts';

export default fp<{ database: Database; owned: boolean }>(
  async (app, { database, owned }) => {
    app.decorate('database', database);
    app.decorate('db', database.db);
    if (owned) app.addHook('onClose', async () => database.close());
  },
  { name: 'database' },
);
