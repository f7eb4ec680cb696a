// A live Yjs connection must not keep what only its upgrade needed: the HTTP request (headers,
// raw header strings) and the upgrade's buffer stay alive otherwise for as long as the socket is
// open, ~1.5 KB per connection on a server that holds thousands.
import v8 from 'node:v8';
import vm from 'node:vm';
import type { IncomingMessage } from 'node:http';
import { expect, it } from 'vitest';
import { serverPerTest } from '../../helpers/server.ts';
import { createEvent, joinAs, setupFacilitator } from '../../helpers/fixtures.ts';
import { eventually, whenSynced } from '../../helpers/yjs-client.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const live = serverPerTest();

it('an open connection does not keep its upgrade request alive', async () => {
  const { server } = live;
  const facilitator = await setupFacilitator(server.origin);
  const event = await createEvent(facilitator);
  const alice = await joinAs(server.origin, event.joinCode, 'Alice', '青空通販');
  const requests: Array<WeakRef<IncomingMessage>> = [];
  server.app.server.prependListener('upgrade', (req: IncomingMessage) => void requests.push(new WeakRef(req)));

  const provider = live.open(sheetDocName(alice.eventCompanyId), alice.client.cookie);
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
