// Global set-up of the cluster tests: the nodes run the server bundle `npm start` runs, built
// from the current sources.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
}
