// The JCRM concept diagram: 理念 in the centre, four inner elements, five outer elements.
// Texts are our own summaries of the association's material (see ../shared/DOMAIN.md).

export type Ring = 'centre' | 'inner' | 'outer';

export const ELEMENT_IDS = [
  'philosophy',
  'culture',
  'consideration',
  'people',
  'uniqueness',
  'customers',
  'brand',
  'products',
  'pr',
  'data',
] as const;

export type ElementId = (typeof ELEMENT_IDS)[number];

export interface TargetFigure {
  /** What the company measures, e.g. the friend-referral rate. */
  label: { ja: string; en: string };
  unit: '%' | 'years';
  /** The association's target image: at least this much. */
  atLeast: number;
}

export interface JcrmElement {
  id: ElementId;
  ring: Ring;
  name: { ja: string; en: string };
  meaning: { ja: string; en: string };
  examples: { ja: string[]; en: string[] };
  targets: TargetFigure[];
}

export const ELEMENTS: readonly JcrmElement[] = [
  {
    id: 'philosophy',
    ring: 'centre',
    name: { ja: '理念', en: 'Philosophy' },
    meaning: { ja: '会社が存在する理由。すべてはここから始まる', en: 'Why the company exists; everything starts here' },
    examples: { ja: [], en: [] },
    targets: [],
  },
  {
    id: 'culture',
    ring: 'inner',
    name: { ja: '文化', en: 'Culture' },
    meaning: { ja: '価値観を形にする習慣と仕組み', en: 'Habits and systems that make the values real' },
    examples: { ja: [], en: [] },
    targets: [],
  },
  {
    id: 'consideration',
    ring: 'inner',
    name: { ja: '思いやり', en: 'Consideration' },
    meaning: { ja: 'お客様と仲間への気配りが表れる場面', en: 'Where care for customers and colleagues shows' },
    examples: { ja: [], en: [] },
    targets: [],
  },
  {
    id: 'people',
    ring: 'inner',
    name: { ja: '人材', en: 'People' },
    meaning: { ja: 'どんな人がいて、何を大切にしているか', en: 'Who the members are and what they value' },
    examples: { ja: [], en: [] },
    targets: [],
  },
  {
    id: 'uniqueness',
    ring: 'inner',
    name: { ja: '独自性', en: 'Uniqueness' },
    meaning: { ja: '他社にない強み：やりたい・やるべき・こだわりたいこと', en: 'Strengths no competitor has: what we want, must and care to do' },
    examples: { ja: [], en: [] },
    targets: [],
  },
  {
    id: 'customers',
    ring: 'outer',
    name: { ja: '顧客', en: 'Customers' },
    meaning: { ja: 'お客様がお客様を連れてくる、深く双方向の関係', en: 'Deep two-way relationships where customers bring customers' },
    examples: {
      ja: ['会員制度', 'お友達紹介制度', 'お客様の声の公開'],
      en: ['Membership programme', 'Friend-referral programme', 'Publishing customer voices'],
    },
    targets: [{ label: { ja: 'お友達紹介率', en: 'Friend-referral rate' }, unit: '%', atLeast: 20 }],
  },
  {
    id: 'brand',
    ring: 'outer',
    name: { ja: 'ブランド', en: 'Brand' },
    meaning: { ja: 'すべてのお客様に伝わる、はっきりしたブランドの約束', en: 'A clear brand promise every customer knows' },
    examples: {
      ja: ['沿革ページ', 'ブランドページ', '会報誌'],
      en: ['Company-history page', 'Brand page', 'Member magazine'],
    },
    targets: [
      { label: { ja: '新規顧客のブランド認知率', en: 'Brand awareness, new customers' }, unit: '%', atLeast: 20 },
      { label: { ja: '既存顧客のブランド認知率', en: 'Brand awareness, existing customers' }, unit: '%', atLeast: 80 },
    ],
  },
  {
    id: 'products',
    ring: 'outer',
    name: { ja: '商品・サービス', en: 'Products & services' },
    meaning: { ja: '理念を体現し、何年も使い続けてもらえる商品', en: 'Products that embody the philosophy and are used for years' },
    examples: {
      ja: ['使い方コンテンツ', 'お客様の声を商品開発に活かす', 'お客様の声の公開'],
      en: ['How-to-use content', 'Customer voices feed product development', 'Publishing customer voices'],
    },
    targets: [{ label: { ja: '1年後の継続率', en: 'Customers still active after 1 year' }, unit: '%', atLeast: 90 }],
  },
  {
    id: 'pr',
    ring: 'outer',
    name: { ja: 'PR', en: 'PR' },
    meaning: { ja: '売上だけでなく理念への共感を生む発信', en: 'Communication that earns empathy for the philosophy, not just sales' },
    examples: {
      ja: ['参加型イベント', '座談会', 'SNSでの発信'],
      en: ['Participatory events', 'Round-table talks', 'Posting on social media'],
    },
    targets: [
      { label: { ja: '理念共感度', en: 'Philosophy empathy' }, unit: '%', atLeast: 90 },
      { label: { ja: '事業継続年数', en: 'Business continuity' }, unit: 'years', atLeast: 30 },
    ],
  },
  {
    id: 'data',
    ring: 'outer',
    name: { ja: 'データ', en: 'Data' },
    meaning: { ja: '数字とお客様の生の声で、お客様の心を知る', en: "Numbers plus the customer's real voice, to know their heart" },
    examples: {
      ja: ['顧客ごとに分けた施策', 'アンケート', 'LTVの計測'],
      en: ['Initiatives split per customer', 'Surveys', 'Measuring LTV'],
    },
    targets: [{ label: { ja: '顧客コミュニケーション網羅率', en: 'Customer communication coverage' }, unit: '%', atLeast: 100 }],
  },
];

const ELEMENT_ID_SET: ReadonlySet<string> = new Set(ELEMENT_IDS);

export function isElementId(value: unknown): value is ElementId {
  return typeof value === 'string' && ELEMENT_ID_SET.has(value);
}

export function elementById(id: ElementId): JcrmElement {
  const found = ELEMENTS.find((e) => e.id === id);
  if (!found) throw new Error(`unknown element ${id}`);
  return found;
}

export function elementsInRing(ring: Ring): JcrmElement[] {
  return ELEMENTS.filter((e) => e.ring === ring);
}
