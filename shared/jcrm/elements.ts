// The JCRM concept diagram: 理念 in the centre, four inner elements, five outer elements.
// Descriptions are our own summaries of the association's material (../shared/DOMAIN.md); the
// 目標イメージ texts are the association's own labels, kept exactly as it writes them.

/** Where an element is drawn: 理念 in the centre, the others on an inner or an outer ring. */
export type Ring = 'centre' | 'inner' | 'outer';
/**
 * The association's two frames (枠): the inner frame (内枠) holds what a company should have
 * (理念 and the four around it), the outer frame (外枠) is how it carries out CRM.
 */
export type Frame = 'inner' | 'outer';

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

export type JaEn = { ja: string; en: string };
type JaEnList = { ja: readonly string[]; en: readonly string[] };

/**
 * One figure of an element's 目標イメージ, as the company's own actual is written beside it.
 * The target is the association's aspiration, not a pass/fail line.
 */
export interface TargetFigure {
  /** What the company fills in as its own figure, in the association's words (e.g. 理念共感度). */
  label: JaEn;
  /** The figure the 目標イメージ names, e.g. 20 for 「紹介率 20%以上」. */
  value: number;
  unit: '%' | 'years';
  /** true: the association says 以上 (this much or more); false: it names a plain figure. */
  atLeast: boolean;
}

export interface JcrmElement {
  id: ElementId;
  ring: Ring;
  frame: Frame;
  name: JaEn;
  /** What the element is about, in our words (key words of the association's sheet kept). */
  meaning: JaEn;
  /**
   * One line for the diagram box and the panel's lead: for the outer elements the tagline of the
   * association's sheet (in our words), for the inner frame a few key words of ours.
   */
  tagline: JaEn;
  /** The question the worksheet asks about this element. */
  question: JaEn;
  /** The association's three example entries (記入例), for the outer elements. */
  examples: JaEnList;
  /** The 目標イメージ, one line per target, exactly as the association writes it (ja). */
  targetImage: JaEnList;
  /** The figures named in targetImage, in order: the company writes its actual beside each. */
  targets: TargetFigure[];
}

const none: JaEnList = { ja: [], en: [] };

export const ELEMENTS: readonly JcrmElement[] = [
  {
    id: 'philosophy',
    ring: 'centre',
    frame: 'inner',
    name: { ja: '理念', en: 'Philosophy' },
    meaning: { ja: '会社がめざす根本の方向。会社が存在する理由そのもの', en: 'The root direction the company aims for: its very reason to exist' },
    tagline: { ja: '会社がめざす根本の方向、存在する理由', en: 'The root direction; the reason to exist' },
    question: { ja: '自社の経営理念は何ですか？ 会社は何のために存在していますか？', en: 'What is your company’s philosophy? What does the company exist for?' },
    examples: none,
    targetImage: none,
    targets: [],
  },
  {
    id: 'culture',
    ring: 'inner',
    frame: 'inner',
    name: { ja: '文化', en: 'Culture' },
    meaning: { ja: '大切にしている価値観を体現する、積み重ねてきた行動と仕組み', en: 'Behaviours and systems, repeated over time, that embody what the company values' },
    tagline: { ja: '価値観を体現する行動と仕組み', en: 'Behaviours and systems that embody values' },
    question: { ja: 'CRMにつながる文化として、どんな行動や仕組みを続けていますか？', en: 'Which behaviours and systems that lead to CRM do you keep up?' },
    examples: none,
    targetImage: none,
    targets: [],
  },
  {
    id: 'consideration',
    ring: 'inner',
    frame: 'inner',
    name: { ja: '思いやり', en: 'Consideration (care)' },
    meaning: {
      ja: 'CRMの根っこは人が人を思いやること。お客様や仲間とより良い関係を築きたい気持ちがすべての始まり',
      en: 'CRM’s root is people caring about people; everything starts from wanting better relations with customers and colleagues',
    },
    tagline: { ja: '人が人を思いやる心が、CRMの根っこ', en: 'People caring for people' },
    question: { ja: '会社の思いやりは、どんなところに表れていますか？', en: 'Where does your company’s care show?' },
    examples: none,
    targetImage: none,
    targets: [],
  },
  {
    id: 'people',
    ring: 'inner',
    frame: 'inner',
    name: { ja: '人材', en: 'People' },
    meaning: { ja: 'どんな人がいて、何を大切にしているか。理念を体現するのは人', en: 'Who the members are and what they value; people embody the philosophy' },
    tagline: { ja: '理念を体現する人たち', en: 'The people who embody the philosophy' },
    question: { ja: '会社のメンバーはどんな人たちで、何を大切にしていますか？', en: 'Who are your company’s members, and what do they value?' },
    examples: none,
    targetImage: none,
    targets: [],
  },
  {
    id: 'uniqueness',
    ring: 'inner',
    frame: 'inner',
    name: { ja: '独自性', en: 'Uniqueness' },
    meaning: {
      ja: '私たち「らしさ」の追求。やりたいこと・やるべきこと・大切なことを見つけ、選び、掘り下げる',
      en: 'Pursuing “our own way”: find, choose and dig into what we want to do, must do and think important',
    },
    tagline: { ja: '私たち「らしさ」の追求', en: 'Pursuing “our own way”' },
    question: { ja: '自分たちらしさとは何ですか？ やりたいこと・やるべきこと・大切なことは？', en: 'What is your own way? What do you want to do, what must you do, what matters to you?' },
    examples: none,
    targetImage: none,
    targets: [],
  },
  {
    id: 'customers',
    ring: 'outer',
    frame: 'outer',
    name: { ja: '顧客', en: 'Customers' },
    meaning: {
      ja: 'どんなお客様がなぜ選んでくれるのかを知り、双方向に対話して、お客様がお客様を連れてくる関係へ',
      en: 'Know which customers choose you and why, talk both ways, until customers bring customers',
    },
    tagline: { ja: '分かち合いを生む、長く続く信頼', en: 'Lasting trust that creates sharing' },
    question: { ja: 'どんなお客様が、なぜ自社を選んでいますか？ お客様とどう対話していますか？', en: 'Which customers choose you, and why? How do you talk with them?' },
    examples: {
      ja: ['会員制度がある', '友達紹介制度がある', 'お客様の声を紹介している'],
      en: ['A membership programme', 'A friend-referral programme', 'Introducing customer voices'],
    },
    targetImage: { ja: ['友達紹介制度 紹介率 20%以上'], en: ['Friend-referral programme: referral rate 20%+'] },
    targets: [{ label: { ja: '友達紹介制度 紹介率', en: 'Friend-referral programme: referral rate' }, value: 20, unit: '%', atLeast: true }],
  },
  {
    id: 'brand',
    ring: 'outer',
    frame: 'outer',
    name: { ja: 'ブランド', en: 'Brand' },
    meaning: { ja: 'お客様と一緒につくる、はっきりしたブランドの約束', en: 'A clear brand promise, created together with customers' },
    tagline: { ja: 'すべてのお客様に、想いと心を知ってもらう', en: 'Let every customer know your intent and heart' },
    question: { ja: 'ブランドの約束は何ですか？ それをお客様にどう伝え、一緒に育てていますか？', en: 'What is your brand promise? How do you convey it and build it with customers?' },
    examples: {
      ja: ['会社の沿革を紹介している', 'ブランドページがある', '会報誌を発行している'],
      en: ['Introducing the company’s history', 'A brand page', 'A member magazine'],
    },
    targetImage: {
      ja: ['ブランド浸透率: 新規顧客へのブランド認知度 20%以上、既存顧客への認知度 80%以上'],
      en: ['Brand penetration: 20%+ of new and 80%+ of existing customers know the brand'],
    },
    targets: [
      { label: { ja: '新規顧客へのブランド認知度', en: 'Brand awareness among new customers' }, value: 20, unit: '%', atLeast: true },
      { label: { ja: '既存顧客への認知度', en: 'Awareness among existing customers' }, value: 80, unit: '%', atLeast: true },
    ],
  },
  {
    id: 'products',
    ring: 'outer',
    frame: 'outer',
    name: { ja: '商品・サービス', en: 'Products & services' },
    meaning: { ja: '理念を形にしたもの。お客様の声を取り入れてつくる', en: 'They give shape to the philosophy, with customer voices built in' },
    tagline: { ja: '使い続けてもらえる商品・サービス', en: 'Products and services people keep using' },
    question: { ja: '商品・サービスは理念をどう形にしていますか？ お客様の声をどう取り入れていますか？', en: 'How do your products and services give shape to the philosophy? How do customer voices go into them?' },
    examples: {
      ja: ['使い方のコンテンツがある', 'お客様の声を商品開発に活かしている', 'お客様の声を紹介している'],
      en: ['How-to-use content', 'Customer voices used in product development', 'Introducing customer voices'],
    },
    targetImage: { ja: ['お客様1年後残存率 90%以上'], en: ['Customers remaining after one year: 90%+'] },
    targets: [{ label: { ja: 'お客様1年後残存率', en: 'Customers remaining after one year' }, value: 90, unit: '%', atLeast: true }],
  },
  {
    id: 'pr',
    ring: 'outer',
    frame: 'outer',
    name: { ja: 'PR', en: 'PR' },
    meaning: { ja: '商品の魅力だけでなく、想い・理念・文化を伝える', en: 'Convey intent, philosophy and culture, not just product appeal' },
    tagline: { ja: '共感を呼ぶ企画で、持続的に成長する', en: 'Sustainable growth through plans that earn empathy' },
    question: { ja: '商品の魅力だけでなく、想いや理念・文化をどう伝えていますか？', en: 'How do you convey your intent, philosophy and culture, beyond product appeal?' },
    examples: {
      ja: ['参加型のイベントを開いている', '座談会を開いている', 'SNSで発信している'],
      en: ['Participatory events', 'Round-table talks (座談会)', 'Posting on social media'],
    },
    targetImage: {
      ja: ['理念共感度 90%以上', '30年以上の事業継続'],
      en: ['Philosophy empathy 90%+', 'In business 30+ years'],
    },
    targets: [
      { label: { ja: '理念共感度', en: 'Philosophy empathy' }, value: 90, unit: '%', atLeast: true },
      { label: { ja: '事業継続', en: 'Years in business' }, value: 30, unit: 'years', atLeast: true },
    ],
  },
  {
    id: 'data',
    ring: 'outer',
    frame: 'outer',
    name: { ja: 'データ', en: 'Data' },
    meaning: { ja: '数字とお客様の生の声を分析し、施策に活かして検証する', en: 'Numbers plus real customer voices: analysed, acted on and verified' },
    tagline: { ja: 'お客様の心を知る', en: 'Know the customer’s heart' },
    question: { ja: '数字とお客様の生の声をどう集めて分析し、施策に活かして検証していますか？', en: 'How do you gather and analyse numbers and real customer voices, act on them and verify?' },
    examples: {
      ja: ['お客様ごとに施策を分けている', 'アンケートを取っている', 'LTVを計測している'],
      en: ['Initiatives split per customer', 'Surveys', 'Measuring LTV'],
    },
    targetImage: { ja: ['顧客コミュニケーション 100%'], en: ['Customer communication 100%'] },
    targets: [{ label: { ja: '顧客コミュニケーション', en: 'Customer communication' }, value: 100, unit: '%', atLeast: false }],
  },
];

/** The unit a company writes its actual in: "%" or 年 / years. */
export function formatUnit(target: TargetFigure, locale: 'ja' | 'en' = 'ja'): string {
  return target.unit === '%' ? '%' : locale === 'ja' ? '年' : 'years';
}

/** A 目標イメージ figure as the association puts it: 「20%以上」「30年以上」「100%」; "20%+", "30+ years". */
export function formatTarget(target: TargetFigure, locale: 'ja' | 'en' = 'ja'): string {
  const plus = target.atLeast ? '+' : '';
  if (locale === 'en') return target.unit === '%' ? `${target.value}%${plus}` : `${target.value}${plus} years`;
  return `${target.value}${target.unit === '%' ? '%' : '年'}${target.atLeast ? '以上' : ''}`;
}

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

export function elementsInFrame(frame: Frame): JcrmElement[] {
  return ELEMENTS.filter((e) => e.frame === frame);
}
