// The plenary (全体共有) as one browser sees it: every company of the event with its scores
// (sorted by the column the viewer clicked; hidden values stay hidden), the 気付き of every room
// read from each company's worksheet document and each room's facilitator document (read-only),
// filtered by room and company and grouped by element, and the facilitator's spotlight.
import type { ElementId } from '../../../shared/jcrm/elements.ts';
import { strongestAndWeakest, type CompanyScores } from '../../../shared/jcrm/scoring.ts';
import { themeElements, themeOrder } from '../../../shared/jcrm/theme.ts';
import { DEFAULT_SORT, filterCards, groupByElement, nextSort, roomOfCard, scoredColumns, sortRows, type SortKey, type SortOrder } from '../../../shared/meetup/plenary.ts';
import { roomDocName, sheetDocName } from '../../../shared/protocol/doc-names.ts';
import type { Spotlight } from '../../../shared/protocol/meetup.ts';
import { openSharedDoc, type SharedDoc } from '../api/shared-doc.ts';
import { i18n } from '../i18n/i18n.svelte.ts';
import type { BoardState } from './board.svelte.ts';
import { CardsModel, type Card, type CardSource } from './cards.svelte.ts';
import { DocVersion } from './doc-version.svelte.ts';

export interface PlenaryRow {
  id: string;
  name: string;
  roomId: string | null;
  roomName: string | null;
  color: string;
  mine: boolean;
  /** The values this viewer may see. */
  scores: CompanyScores;
  /** Elements scored but withheld from this viewer (shown as ✓). */
  hidden: ReadonlySet<ElementId>;
  marks: { strongest: ElementId[]; weakest: ElementId[] };
}

export interface PlenaryCard extends Card {
  roomId: string | null;
  roomName: string | null;
  /** The company whose document holds the card (null: a facilitator's card). */
  ownerName: string | null;
}

interface OpenDoc {
  shared: SharedDoc;
  version: DocVersion;
  eventCompanyId: string | null;
}

const NO_HIDDEN: ReadonlySet<ElementId> = new Set();

export class PlenaryState {
  sort = $state<SortOrder>(DEFAULT_SORT);
  /** null = every room / every company. */
  roomFilter = $state<string | null>(null);
  companyFilter = $state<string | null>(null);
  /** The spotlighted card this browser closed (it stays highlighted in the list). */
  private dismissed = $state<string | null>(null);
  private sources = $state.raw<CardSource[]>([]);
  private readonly docs = new Map<string, OpenDoc>();
  readonly cards: CardsModel;

  constructor(readonly board: BoardState) {
    this.cards = new CardsModel(() => this.sources, board.cardMeta);
  }

  get isFacilitator(): boolean {
    return this.board.isFacilitator;
  }

  /** The elements the session covers (its theme; none = all), live from the meetup state. */
  get covered(): ElementId[] {
    return this.board.meetup.state?.coveredElements ?? this.board.detail?.coveredElements ?? [];
  }

  /** The theme's elements when the session covers only some (else empty): first in the table, with their own subtotal. */
  readonly theme: ElementId[] = $derived(themeElements(this.covered));

  /** Every element, the theme's first (diagram order without a theme). */
  readonly elementOrder = $derived(themeOrder(this.covered));

  /** More than one room (an online meetup): cards and rows say their room, and can be filtered by it. */
  get severalRooms(): boolean {
    return (this.board.detail?.rooms.length ?? 0) > 1;
  }

  get canReact(): boolean {
    return this.board.detail?.status === 'open' && this.board.detail.role !== 'observer';
  }

  readonly rows: PlenaryRow[] = $derived.by(() => {
    const board = this.board;
    const detail = board.detail;
    if (!detail) return [];
    return detail.companies.map((company) => {
      const scores = board.scores.of(company.id);
      return {
        id: company.id,
        name: company.name,
        roomId: company.roomId,
        roomName: detail.rooms.find((r) => r.id === company.roomId)?.name ?? null,
        color: board.colorOf(company.id),
        mine: company.id === board.myCompanyId,
        scores,
        hidden: board.scores.hiddenScored.get(company.id) ?? NO_HIDDEN,
        marks: strongestAndWeakest(scores),
      };
    });
  });

  readonly sortedRows: PlenaryRow[] = $derived(sortRows(this.rows, this.sort, i18n.locale));

  /** The elements some company scored (hidden ones too): on a phone the table shows only these. */
  readonly scoredElements: ReadonlySet<ElementId> = $derived(new Set(scoredColumns(this.rows, this.elementOrder.map(({ element }) => element.id))));

  /** An element's column, left out on a phone: nobody scored it, and it is neither spotlit nor sorted by. */
  folded(element: ElementId): boolean {
    return !this.scoredElements.has(element) && this.spotlitElement !== element && this.sort.key !== element;
  }

  /** Every card of every room, with its room and owning company. */
  readonly allCards: PlenaryCard[] = $derived.by(() => {
    const detail = this.board.detail;
    const companies = new Map((detail?.companies ?? []).map((c) => [c.id, c]));
    const roomNames = new Map((detail?.rooms ?? []).map((r) => [r.id, r.name]));
    return this.cards.all.map((card) => {
      const roomId = roomOfCard(card.docName, card.eventCompanyId, (id) => companies.get(id)?.roomId ?? null);
      return {
        ...card,
        roomId,
        roomName: roomId ? (roomNames.get(roomId) ?? null) : null,
        ownerName: card.eventCompanyId ? (companies.get(card.eventCompanyId)?.name ?? card.companyName) : null,
      };
    });
  });

  readonly shownCards: PlenaryCard[] = $derived(filterCards(this.allCards, { roomId: this.roomFilter, eventCompanyId: this.companyFilter }));
  readonly groups = $derived(groupByElement(this.shownCards));

  get spotlight(): Spotlight {
    return this.board.meetup.state?.spotlight ?? null;
  }

  /** The spotlighted card, when it exists (a deleted or foreign card spotlights nothing). */
  readonly spotlitCard: PlenaryCard | null = $derived.by(() => {
    const spot = this.spotlight;
    if (spot?.kind !== 'card') return null;
    return this.allCards.find((c) => c.docName === spot.docName && c.id === spot.cardId) ?? null;
  });

  get spotlitElement(): ElementId | null {
    const spot = this.spotlight;
    return spot?.kind === 'element' ? spot.element : null;
  }

  /** The enlarged card everybody sees until the facilitator clears it (or this viewer closes it). */
  get overlayCard(): PlenaryCard | null {
    const card = this.spotlitCard;
    return card && card.key !== this.dismissed ? card : null;
  }

  isSpotlit(card: Card): boolean {
    return this.spotlitCard?.key === card.key;
  }

  sortBy(key: SortKey): void {
    this.sort = nextSort(this.sort, key);
  }

  closeOverlay(): void {
    this.dismissed = this.spotlitCard?.key ?? null;
  }

  spotlightCard(card: Card): Promise<boolean> {
    this.dismissed = null;
    return this.board.meetup.command('spotlight:set', { eventId: this.board.eventId, spotlight: { kind: 'card', docName: card.docName, cardId: card.id } });
  }

  spotlightElement(element: ElementId): Promise<boolean> {
    return this.board.meetup.command('spotlight:set', { eventId: this.board.eventId, spotlight: { kind: 'element', element } });
  }

  clearSpotlight(): Promise<boolean> {
    return this.board.meetup.command('spotlight:set', { eventId: this.board.eventId, spotlight: null });
  }

  toggleReaction(card: Card): Promise<void> {
    return this.cards.toggleReaction(card, this.board.user.id);
  }

  /**
   * Opens (read-only) every company's worksheet and every room's document, closes the rest.
   * Read-only also for the viewer's own worksheet: the plenary never writes, and shows what the
   * server holds (see openSharedDoc's readOnly), not another view's unsent or refused edits.
   */
  sync(): void {
    const detail = this.board.detail;
    if (!detail) return;
    const wanted = new Map<string, string | null>([
      ...detail.companies.map((c) => [sheetDocName(c.id), c.id] as const),
      ...detail.rooms.map((r) => [roomDocName(r.id), null] as const),
    ]);
    for (const [name, open] of this.docs) {
      if (!wanted.has(name)) this.close(name, open);
    }
    for (const [name, eventCompanyId] of wanted) {
      if (this.docs.has(name)) continue;
      const shared = openSharedDoc(name, this.board.user.id, { readOnly: true });
      // Changed here anyway (it never should be): closed (not inside that change's transaction)
      // and opened again from the server.
      shared.onAccess = (event) => {
        if (event !== 'diverged') return;
        setTimeout(() => {
          const open = this.docs.get(name);
          if (open?.shared !== shared) return;
          this.close(name, open);
          this.sync();
        }, 0);
      };
      this.board.connection.track(shared.provider);
      this.docs.set(name, { shared, version: new DocVersion(shared.doc), eventCompanyId });
    }
    this.sources = [...this.docs.values()].map(({ shared, version, eventCompanyId }) => ({
      docName: shared.name,
      doc: shared.doc,
      eventCompanyId,
      get version() {
        return version.version;
      },
      writable: false,
    }));
  }

  destroy(): void {
    for (const [name, open] of this.docs) this.close(name, open);
    this.sources = [];
  }

  private close(name: string, open: OpenDoc): void {
    this.board.connection.untrack(open.shared.provider);
    open.version.destroy();
    open.shared.destroy();
    this.docs.delete(name);
  }
}
