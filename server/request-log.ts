// Request logging that stays readable at the default level. Fastify's own logs two JSON lines per
// request at `info`, so opening one board (a page, its scripts, styles and fonts) filled the
// terminal with lines nobody reads. Here `info` keeps only API requests that failed (status ≥ 400:
// a refused join, a wrong password, a bad body); everything else is logged at `debug`, so
// LOG_LEVEL=debug shows every request again. Server faults are logged at `error` by the error
// handler (with the cause) and by Fastify for a response that errored.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export class QuietRequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
      return;
    }
    const line = `${request.method} ${pathOf(request)} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`;
    if (reply.statusCode >= 400 && pathOf(request).startsWith('/api/')) reply.log.info(line);
    else reply.log.debug(line);
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug(`no route for ${request.method} ${pathOf(request)}`);
  }
}

/** The path without the query: join codes and ids in paths are fine to log, query strings are not needed. */
function pathOf(request: FastifyRequest): string {
  return (request.originalUrl ?? request.url).split('?')[0]!;
}
