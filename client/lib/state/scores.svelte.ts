// Live scores of the event's companies over the control socket (server-validated, with history).
// A score change goes through the outbox: it shows at once, marked as not yet sent until the
// server acknowledges it, and survives being offline (and a reload) until then.
import { SvelteMap } from 'svelte/reactivity';
import { elementById, type ElementId } from '../../../shared/jcrm/elements.ts';
import type { CompanyScores, ScoreValue } from '../../../shared/jcrm/scoring.ts';
import type { ScoreEntry, ScoreSetPayload } from '../../../shared/protocol/control-events.ts';
import { request, type ControlSocket } from '../api/control-socket.ts';
import { i18n, t } from '../i18n/i18n.svelte.ts';
import type { ControlOutbox } from './outbox.svelte.ts';

export class ScoresModel {
  /** eventCompanyId → that company's scores as the server has them. */
  readonly byCompany = new SvelteMap<string, CompanyScores>();
  /** Hidden scores (until revealed): eventCompanyId → the elements it has scored, values withheld. */
  readonly hiddenScored = new SvelteMap<string, ReadonlySet<ElementId>>();
  error = $state<string | null>(null);

  constructor(
    private readonly socket: ControlSocket,
    private readonly eventId: string,
    private readonly outbox: ControlOutbox,
    /** A company's name, for messages about a score change the server refused. */
    private readonly companyName: (eventCompanyId: string) => string = () => '',
  ) {
    socket.on('score:changed', (entry) => {
      if (entry.eventId === this.eventId) this.apply(entry);
    });
    outbox.handle('score:set', {
      acked: (_payload, { score }) => this.apply(score),
      describe: ({ eventCompanyId, element }) =>
        t('scoreChange', { company: this.companyName(eventCompanyId), element: i18n.pick(elementById(element).name) }),
    });
  }

  async load(): Promise<void> {
    const { scores } = await request(this.socket, 'scores:get', { eventId: this.eventId });
    this.byCompany.clear();
    this.hiddenScored.clear();
    for (const entry of scores) this.apply(entry);
  }

  /** A company's scores as shown: the server's, with this browser's changes not yet sent on top. */
  of(eventCompanyId: string): CompanyScores {
    const stored = this.byCompany.get(eventCompanyId) ?? {};
    const waiting = this.waiting(eventCompanyId);
    if (waiting.length === 0) return stored;
    const shown: CompanyScores = { ...stored };
    for (const { element, value } of waiting) {
      if (value === null) delete shown[element];
      else shown[element] = value;
    }
    return shown;
  }

  /** Whether this score was changed here and the server has not acknowledged it yet. */
  isPending(eventCompanyId: string, element: ElementId): boolean {
    return this.outbox.has(scoreKey(this.eventId, eventCompanyId, element));
  }

  set(eventCompanyId: string, element: ElementId, value: ScoreValue | null): void {
    this.error = null;
    const payload: ScoreSetPayload = { eventId: this.eventId, eventCompanyId, element, value };
    if (!this.outbox.send('score:set', payload, scoreKey(this.eventId, eventCompanyId, element))) this.error = t('outboxFull');
  }

  private waiting(eventCompanyId: string): ScoreSetPayload[] {
    const found: ScoreSetPayload[] = [];
    for (const item of this.outbox.items) {
      const payload = item.payload as ScoreSetPayload;
      if (item.event === 'score:set' && payload.eventId === this.eventId && payload.eventCompanyId === eventCompanyId) found.push(payload);
    }
    return found;
  }

  /** Whether the company has scored this element although its value is hidden from this viewer. */
  isHiddenScored(eventCompanyId: string, element: ElementId): boolean {
    return this.hiddenScored.get(eventCompanyId)?.has(element) ?? false;
  }

  private apply(entry: ScoreEntry): void {
    const hidden = new Set(this.hiddenScored.get(entry.eventCompanyId) ?? []);
    if (entry.hidden && entry.scored) hidden.add(entry.element);
    else hidden.delete(entry.element);
    this.hiddenScored.set(entry.eventCompanyId, hidden);
    const next: CompanyScores = { ...(this.byCompany.get(entry.eventCompanyId) ?? {}) };
    if (entry.value === null) delete next[entry.element];
    else next[entry.element] = entry.value;
    this.byCompany.set(entry.eventCompanyId, next);
  }
}

/** One key per company and element: while offline only the last change to a score is sent. */
export function scoreKey(eventId: string, eventCompanyId: string, element: ElementId): string {
  return `score:${eventId}:${eventCompanyId}:${element}`;
}
