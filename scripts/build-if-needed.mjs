// `npm start` (and `npm test`) build what is missing or older than its sources: the web client
// (dist/client, by Vite) and the server bundle (dist/server, scripts/build-server.mjs).
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const stale = (built, sources) => !existsSync(built) || statSync(built).mtimeMs < sources;

const shared = newestMtime('shared');
if (stale('dist/client/index.html', Math.max(newestMtime('client'), shared, statSync('vite.config.ts').mtimeMs))) {
  console.log('Building the web client…');
  execSync('npx vite build', { stdio: 'inherit' });
}
if (stale('dist/server/main.mjs', Math.max(newestMtime('server'), shared, statSync('scripts/build-server.mjs').mtimeMs, statSync('scripts/server-bundle-options.mjs').mtimeMs, statSync('package-lock.json').mtimeMs))) {
  console.log('Building the server…');
  execSync('node scripts/build-server.mjs', { stdio: 'inherit' });
}
