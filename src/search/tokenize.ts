/**
 * Tokens, stop words and question words.
 *
 * Kazakh word lists are written *folded* (қанша → канша, және → жане; see `foldKazakh`), which is
 * the form tokens are compared in; look a token up with `foldKazakh(token)` (a no-op on
 * already folded or Russian tokens).
 *
 * Question words (қанша, қай, когда, сколько…) are kept apart from the stop words: they are what
 * tells a question's language and kind, so detection needs them; ranking may drop them.
 */

import type { Lang } from "../knowledge/schema.ts";
import { foldKazakh, normalize } from "./normalize.ts";

/** normalize → split on spaces. Numbers ("18.2", "2019") and the signs "%", "$"… are tokens. */
export function tokenize(text: string): string[] {
  const s = normalize(text);
  return s === "" ? [] : s.split(" ");
}

/** `tokenize`, then `foldKazakh` on each token: the form index and query are compared in. */
export function tokenizeFolded(text: string): string[] {
  const s = foldKazakh(normalize(text));
  return s === "" ? [] : s.split(" ");
}

const words = (list: string): ReadonlySet<string> => new Set(list.trim().split(/\s+/));

/**
 * Function words that carry no meaning for ranking (Kazakh folded), the fillers and politeness
 * of chat ("ну", "вообще", "подскажите", "өзі", greetings and thanks), and verbs of saying
 * ("сказал", "айтты"): every fact is something someone said. Not question words.
 */
export const STOP_WORDS: Readonly<Record<Lang, ReadonlySet<string>>> = {
  kk: words(`
    жане мен пен бен да де та те ал бирак немесе эри ари яки
    бул осы сол ол олар мына мынау сонда осында
    ушин туралы бойынша жонинде жониндеги сиякты дейин кейин
    ак ау гой гана кана тек
    деп деди еди екен болып
    сондай сонымен сондыктан
    ози ше енди жанагы айтшы айтыныз айтынызшы беринизши бериниз рас шын
    салем салеметсиз армысыз ассалаумагалейкум рахмет
    айтты айткан малимдеди
  `),
  ru: words(`
    и в во на по о об обо с со к ко у из за от до для при про через над под без
    а но или либо же бы ведь вот даже лишь только уже еще ещё тоже также
    не ни нет да
    это этот эта эти этого этой этом тот та те то того
    он она оно они его ее её их ему ей им нам вам мы вы я мне меня
    был была было были быть будет будут есть являются является
    так там тут здесь
    вообще вообщем ну типа короче кстати пожалуйста плиз пж сих пор
    скажи скажите подскажи подскажите расскажи расскажите хочу хотел хотела узнать правда верно
    говорил говорила сказал сказала рассказал рассказала упоминал упоминала упомянул упомянула
    упоминались упоминается заявил заявила сообщил сообщила
    назови назовите перечисли перечислите
    здравствуйте здравствуй привет приветствую спасибо благодарю заранее
  `),
};

/** Question words and particles (Kazakh folded). They tell the language; ranking may drop them. */
export const QUESTION_WORDS: Readonly<Record<Lang, ReadonlySet<string>>> = {
  kk: words(`
    канша кай кайда кайдан кайсы кайсысы кандай кашан калай ким кимге кимнин кимдер кимди
    не неше нешинши неге нени ненин несе нешеде кашаннан
    ма ме ба бе па пе
  `),
  ru: words(`
    что чего чем чему как каков какова каково каковы сколько скольких скока скоко сколко
    че чё чо шо
    где куда откуда когда почему зачем отчего кто кого кому кем ком чей чья чье чьи
    какой какая какое какие каких каким какими каком какому какую
    который которая которое которые которых котором
    ли разве неужели
  `),
};

function inLists(
  lists: Readonly<Record<Lang, ReadonlySet<string>>>,
  token: string,
  lang: Lang | undefined,
): boolean {
  if (lang === "ru") return lists.ru.has(token);
  const folded = foldKazakh(token);
  if (lang === "kk") return lists.kk.has(folded);
  return lists.kk.has(folded) || lists.ru.has(token);
}

/** True when `token` (any form) is a stop word of `lang`, or of either language if omitted. */
export function isStopWord(token: string, lang?: Lang): boolean {
  return inLists(STOP_WORDS, token, lang);
}

/** True when `token` (any form) is a question word of `lang`, or of either language if omitted. */
export function isQuestionWord(token: string, lang?: Lang): boolean {
  return inLists(QUESTION_WORDS, token, lang);
}

/**
 * Tokens without the stop words and, unless `dropQuestionWords: false`, the question words of
 * `lang` (of either language when `lang` is undefined).
 */
export function contentTokens(
  tokens: readonly string[],
  lang: Lang | undefined,
  options: { dropQuestionWords?: boolean } = {},
): string[] {
  const drop = options.dropQuestionWords ?? true;
  return tokens.filter((t) => !isStopWord(t, lang) && !(drop && isQuestionWord(t, lang)));
}
