// Live scores of the event's companies over the control socket (server-validated, with history).
import { SvelteMap } from 'svelte/reactivity';
import type { ElementId } from '../../../shared/jcrm/elements.ts';
import type { CompanyScores, ScoreValue } from '../../../shared/jcrm/scoring.ts';
import type { ScoreEntry } from '../../../shared/protocol/control-events.ts';
import { request, type ControlSocket } from '../api/control-socket.ts';

export class ScoresModel {
  /** eventCompanyId → that company's scores. */
  readonly byCompany = new SvelteMap<string, CompanyScores>();
  error = $state<string | null>(null);

  constructor(
    private readonly socket: ControlSocket,
    private readonly eventId: string,
  ) {
    socket.on('score:changed', (entry) => {
      if (entry.eventId === this.eventId) this.apply(entry);
    });
  }

  async load(): Promise<void> {
    const { scores } = await request(this.socket, 'scores:get', { eventId: this.eventId });
    this.byCompany.clear();
    for (const entry of scores) this.apply(entry);
  }

  of(eventCompanyId: string): CompanyScores {
    return this.byCompany.get(eventCompanyId) ?? {};
  }

  async set(eventCompanyId: string, element: ElementId, value: ScoreValue | null): Promise<void> {
    this.error = null;
    try {
      const { score } = await request(this.socket, 'score:set', { eventId: this.eventId, eventCompanyId, element, value });
      this.apply(score);
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private apply(entry: ScoreEntry): void {
    const next: CompanyScores = { ...this.of(entry.eventCompanyId) };
    if (entry.value === null) delete next[entry.element];
    else next[entry.element] = entry.value;
    this.byCompany.set(entry.eventCompanyId, next);
  }
}
