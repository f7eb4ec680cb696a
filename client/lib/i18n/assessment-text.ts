// The CRM practice assessment's UI text, in both languages (kept beside ja.ts / en.ts so the
// feature's words live together).
import { i18n } from './i18n.svelte.ts';

const TEXT = {
  templatesTitle: { ja: 'アセスメントのテンプレート', en: 'Assessment templates' },
  templatesIntro: {
    ja: 'CRM実践度アセスメント（コンサルタントが公開している手法で、協会のものではありません）のカテゴリーと質問を用意します。各質問はチームが4つの意味（0〜3）で採点します。',
    en: 'Prepare the categories and questions of the CRM practice assessment (a consultant’s published method, not the association’s). The team scores each question with the four meanings (0–3).',
  },
  noInvented: {
    ja: 'スターターには6つのカテゴリーと、公開されているカテゴリー5の質問8問だけが入っています（私たちの言葉で書き直したもの）。ほかの質問は公開されていないため、Kizuki は作りません。ご自身で書いてください。',
    en: 'The starter holds the six categories and only the eight publicly known questions of category 5 (in our own words). The other questions are not public, so Kizuki invents none: write them yourself.',
  },
  fourPointRule: {
    ja: '4点の質問は1つだけ選べます（どれにするかはファシリテーターが決めます）。その質問も同じ4つの意味で答え、「完全に達成している」で4点、ほかは2・1・0点です。',
    en: 'You may make one question worth 4 points (which one is your choice). It is answered with the same four meanings: “Fully achieved” earns 4, the others 2, 1, 0.',
  },
  newFromStarter: { ja: 'スターターから新規作成', en: 'New from the starter' },
  title: { ja: 'タイトル', en: 'Title' },
  category: { ja: 'カテゴリー', en: 'Category' },
  addCategory: { ja: 'カテゴリーを追加', en: 'Add a category' },
  addQuestion: { ja: '質問を追加', en: 'Add a question' },
  remove: { ja: '削除', en: 'Remove' },
  fourPoints: { ja: '4点', en: '4 points' },
  noFourPoint: { ja: '4点の質問をなくす', en: 'No 4-point question' },
  noQuestionsYet: { ja: 'まだ質問がありません', en: 'No questions yet' },
  save: { ja: '保存', en: 'Save' },
  saved: { ja: '保存しました', en: 'Saved' },
  deleteTemplate: { ja: 'テンプレートを削除', en: 'Delete template' },
  confirmDelete: { ja: 'このテンプレートを削除しますか？（作成済みのアセスメントは残ります）', en: 'Delete this template? (Assessments already made keep their copy.)' },
  maxLabel: { ja: '満点', en: 'Maximum' },
  questionsLabel: { ja: '問', en: 'questions' },
  companyTitle: { ja: 'CRM実践度アセスメント', en: 'CRM practice assessment' },
  start: { ja: 'アセスメントを始める', en: 'Start an assessment' },
  noTemplates: { ja: 'まだ使えるテンプレートがありません。ファシリテーターに用意してもらってください。', en: 'No template yet: ask your facilitator to prepare one.' },
  history: { ja: 'これまでのアセスメント', en: 'Assessments so far' },
  trend: { ja: '推移', en: 'Trend' },
  total: { ja: '合計', en: 'Total' },
  change: { ja: '前回比', en: 'Change' },
  myVote: { ja: '自分の採点', en: 'My score' },
  settled: { ja: '会社の回答', en: 'Company’s answer' },
  unsettled: { ja: '未回答', en: 'Not answered' },
  votes: { ja: 'メンバーの採点', en: 'Members’ scores' },
  subtotal: { ja: '小計', en: 'Subtotal' },
  answeredOf: { ja: '回答済み {answered}/{questions} 問（回答分の満点 {answeredMax}）', en: '{answered}/{questions} answered (out of {answeredMax} so far)' },
  weakest: { ja: '弱いところ', en: 'Weakest' },
  weakestNone: { ja: 'まだ目立つ弱点はありません', en: 'Nothing stands out yet' },
  inSession: { ja: 'セッション内', en: 'In a session' },
  onItsOwn: { ja: '単独', en: 'On its own' },
  backToBoard: { ja: 'ボードに戻る', en: 'Back to the board' },
  assessmentLink: { ja: 'アセスメント', en: 'Assessment' },
  facilitatorHint: { ja: 'ファシリテーターは会社の回答を記入できます（採点はメンバーが行います）。', en: 'As a facilitator you can set the company’s answer (members give the scores).' },
} as const;

export type AssessmentTextKey = keyof typeof TEXT;

export function at(key: AssessmentTextKey, params: Record<string, string | number> = {}): string {
  return i18n.pick(TEXT[key]).replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
