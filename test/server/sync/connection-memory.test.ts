// A live Yjs connection must not keep what only its upgrade needed: the HTTP request (headers,
// raw header strings) and the upgrade's buffer stay alive otherwise for as long as the socket is
// open, ~1.5 KB per connection on a server that holds thousands.
import v8 from 'node:v8';
import vm from 'node:vm';
import type { IncomingMessage } from 'node:http';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { connectProvider, eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let db: TestDatabase;
let server: TestServer;
const providers: WebsocketProvider[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
  server = await startTestServer(db.database);
});

afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy();
  await server.close();
  await db.drop();
});

it('an open connection does not keep its upgrade request alive', async () => {
  const facilitator = await setupFacilitator(server.origin);
  const event = await createEvent(facilitator);
  const alice = await joinAs(server.origin, event.joinCode, 'Alice', '青空通販');
  const requests: Array<WeakRef<IncomingMessage>> = [];
  server.app.server.prependListener('upgrade', (req: IncomingMessage) => void requests.push(new WeakRef(req)));

  const provider = connectProvider(server.wsOrigin, sheetDocName(alice.eventCompanyId), { cookie: alice.client.cookie });
  providers.push(provider);
  await whenSynced(provider);
  provider.doc.getText('t').insert(0, '気付き');
  await eventually(() => expect(server.app.docs.peek(sheetDocName(alice.eventCompanyId))?.doc.getText('t').toString()).toBe('気付き'));

  expect(requests).toHaveLength(1);
  await eventually(() => {
    gc();
    expect(requests[0]!.deref()).toBeUndefined();
  });
  // Still connected and working after the request is gone.
  provider.doc.getText('t').insert(0, '新しい');
  await eventually(() => expect(server.app.docs.peek(sheetDocName(alice.eventCompanyId))?.doc.getText('t').toString()).toBe('新しい気付き'));
  expect(provider.wsconnected).toBe(true);
});
