// The server-side end of closing countdowns (see control/phase-timer.ts).
import fp from 'fastify-plugin';
import { PhaseTimer } from '../control/phase-timer.ts';

export default fp(
  async (app) => {
    const timer = new PhaseTimer(app.db, (event) => app.domain.publish(event), app.log);
    // Every node keeps the countdown, so the plenary still starts if the node that began it dies
    // (settling is one conditional UPDATE: only one node moves the event on).
    app.domain.subscribeEveryNode(timer.onDomainEvent);
    app.decorate('phaseTimer', timer);
    app.addHook('onReady', async () => {
      try {
        await timer.resume();
      } catch (err) {
        // Browsers still move on: 'meetup:get' ends an expired countdown when it is read.
        app.log.error({ err }, 'could not resume closing countdowns');
      }
    });
    app.addHook('preClose', async () => timer.stop());
  },
  { name: 'phase-timer', dependencies: ['database', 'domain'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    phaseTimer: PhaseTimer;
  }
}
