import type { Fact } from "../knowledge/schema.ts";
import { normalizeFolded } from "../search/normalize.ts";
import { type NamedInFact, NOTHING_NAMED } from "./named.ts";

/**
 * What a question asks the answer to hold, told by its question words (folded, as the
 * analyzer produces them). A fact that cannot hold it — "how many" answered by a fact without
 * a number, "when" by one without a date, "how much does it cost" by one without a price — is
 * a near miss: it shares the question's topic but not what the question asks.
 *
 * Attributes are the properties people ask of a named thing (its price, population, length,
 * capacity…). The articles state few of them, so a question about one is usually a near miss
 * on a fact that names the thing.
 */
export interface AskedFor {
  quantity: boolean;
  time: boolean;
  attributes: readonly Attribute[];
}

export interface Attribute {
  name: string;
  /** A folded question word that asks for the attribute. */
  asked?: RegExp;
  /** Words that ask for it only within a few words of "how many / how much" (alone they mean something else). */
  askedWithQuantity?: RegExp;
  /** Two-word phrases that ask for it, tested on the folded question. */
  askedPhrase?: RegExp;
  /** Words that turn the question to something else ("по мнению Токаева": a view, not a recipe). */
  unless?: RegExp;
  /** Phrases that ask for it when the question names a person ("сколько лет Путину"). */
  askedOfPerson?: RegExp;
  /**
   * Whether a fact's folded answer text states the attribute; "a city" and "a person's name"
   * when it does so by naming one, which the knowledge base's aliases tell.
   */
  held: RegExp | "a city" | "a person's name";
}

/** "Насколько" and "қаншалық" ask "to what extent" as often as "by how much", so they are left out. */
const QUANTITY = new Set([
  "сколько",
  "скока",
  "скоко",
  "сколко",
  "скольких",
  "количество",
  "канша",
  "неше",
  "саны",
  "qansha",
  "skolko",
]);
const TIME = new Set(["когда", "кашан", "qashan", "kogda", "дата", "дату", "даты", "датасы"]);
const WHICH = new Set(["какой", "каком", "какого", "какое", "какая", "кай", "кандай"]);
/** With a "which" word these ask for a date: "в каком году", "какого числа", "қай күні". */
const DATE_UNIT = new Set(["году", "год", "года", "жылы", "жыл", "числа", "куни"]);

const CURRENCY = /доллар|\$|рубл|тенге|евро|стоимост|сумм|сомас/;

export const ATTRIBUTES: readonly Attribute[] = [
  {
    name: "price",
    asked: /^(стоимост|стоит$|стоят$|стоил|цен(а|ы|у|е|ой)$|почем$|куны$|кунын|кунына$)/,
    askedWithQuantity: /^(багас|баганы$|багасын)/,
    held: CURRENCY,
  },
  {
    name: "money",
    asked: /^(сумм(а|у|ой|ы)$|сомас|сомага$)/,
    askedWithQuantity:
      /^(оценива|акша(сы|ны|сын)?$|каржы(сы|ны|сын)?$|каражат|деньг|денег$|средств|инвестици(я(?!лык)|[йию])|вложени|салым|финансир|каржыланд)/,
    // "Объём инвестиций", "инвестиция көлемі": an amount, asked without "how much".
    askedPhrase:
      /(^| )(объем|объема|объемы|размер|сумма)( \S+)? (инвестиц|вложени|капиталовложени|финансировани)|(^| )(инвестиция|инвестициялар|салым|каржыландыру)\S* колем/,
    held: CURRENCY,
  },
  {
    name: "population",
    asked: /^населени/,
    // "Занятость населения" is employment.
    unless: /(занятост|трудоустройств)\S* населени/,
    askedWithQuantity: /^(жител|тургын|халкы$|халык$|прожива|живут$|живет$)/,
    askedPhrase: /(^| )(адам|халык|халкы) турад|(^| )(человек|людей) (живет|живут|проживает)/,
    // A count of people, not "занятость населения".
    held: /(населени|жител|халкы|тургын)[^.]*\d|\d[^.]*(населени|жител|халкы|тургын)/,
  },
  {
    name: "age",
    asked: /^(возраст|жаста$|жасы$|жасында$|родил|туган$|туылган$)/,
    askedOfPerson: /(^| )(сколько|скока|скоко) (\S+ )?лет( |$)/,
    held: /возраст|жаста|родил|туган|туылган/,
  },
  {
    name: "size",
    // "площадь", not "площадка" (a venue, a site).
    asked:
      /^(длин|протяжен|расстояни|узындыг|узындык|кашыктыг|кашыктык|площад(ь|и|ью)$|высот|бииктиг|вес$|веса$|салмаг)/,
    held: /км|километр|шакырым|длин|протяжен|узынды|расстояни|кашыкты|площад|гектар|высот|биикт|тонн/,
  },
  {
    name: "capacity",
    // Asked as a figure only: "производственные мощности" are plants, "өткізу бекеті" a checkpoint.
    // "Шара өткізу" is holding events: "өткізу" asks a capacity only as "өткізу қабілеті".
    askedWithQuantity: /^(мощност|куаты$|куатын|производительност|пропускн)/,
    askedPhrase:
      /(^| )(какая|какова|какой|какую) (\S+ )?(мощност|производительност|пропускн)|(^| )куат\S* (канша|кандай)|(^| )откизу кабилет/,
    held: /мощност|куат|производительност|пропускн|откизу/,
  },
  {
    name: "jobs",
    asked: /^трудоустр/,
    askedPhrase: /(^| )(рабоч(их|ие|ее) мест|жумыс орн|жумыс орын)/,
    held: /рабоч(их|ие|ее) мест|жумыс орн|жумыс орын|занятост|трудоустр|жумыспен камт/,
  },
  {
    // "How do I cross the border by car", "how to transfer money": the articles report
    // decisions and proposals, never a procedure to follow.
    name: "procedure",
    askedPhrase:
      /(^| )калай( \S+)* \S+(уга|уге|га|ге|ка|ке) болад|(^| )как (можно )?\S+(ть|ти|чь)( |$)/,
    unless:
      /(^| )(мнению|считает|думает|предлагает|предложил|сказал|заявил|пикиринше|ойынша|айтуынша|усынды)( |$)/,
    held: /предлож|предлаг|усын|необходимо|нужно|следует|кажет|керек|путь/,
  },
  {
    name: "percent",
    asked: /^(процент|пайыз)/,
    held: /%|процент|пайыз/,
  },
  {
    name: "weather",
    asked: /^(погод|температур|градус|райы$)/,
    held: /погод|температур|градус|ауа райы/,
  },
  {
    name: "salary",
    asked: /^(зарплат|жалакы|оклад)/,
    held: /зарплат|жалакы|оклад/,
  },
  {
    name: "harvest",
    asked: /^(урожа|егин)/,
    held: /урожа|егин/,
  },
  {
    // "Кто был губернатором до Паслера": the articles name office-holders, never who came
    // before or after them.
    name: "predecessor",
    asked: /^(предшественник|преемник|предшественника|преемника)$/,
    askedOfPerson:
      /(^| )(кто|ким)( \S+)* (до|после|вместо)( |$)|(^| )(до|после|вместо) \S+( \S+)? (кто|ким)( |$)|(^| )(сменил|сменила|сменит)( |$)|\S(дан|ден|тан|тен|нан|нен) (бурын|кейин)( \S+)* ким|(^| )ким( \S+)* \S+(дан|ден|тан|тен|нан|нен) (бурын|кейин)( |$)/,
    held: /предшественник|преемник|сменил|бурынгы|орнына/,
  },
  {
    // "В каком городе откроют филиал": a fact placing it "in one of the border regions" does not say.
    name: "city",
    askedPhrase:
      /(^| )(в каком|каком|какой|какие|каких) (\S+ )?город(е|а|ах|у|ом|ов)?( |$)|(^| )(кай|кандай) (\S+ )?кала(да|сы|сында|сын|ны|га|дан)?( |$)/,
    held: "a city",
  },
  {
    // "Как зовут президента Беларуси": a fact saying "под председательством Президента
    // Беларуси" gives the office, not the name.
    name: "person's name",
    // Kazakh "аты" alone is also a thing's name ("форумның аты"): only "аты кім", "аты-жөні".
    askedPhrase:
      /(^| )как (зовут|звали)( |$)|(^| )(имя|фамилия|фамилию|фио|есими|есимин)( |$)|(^| )аты(-| )жони|(^| )аты( \S+)? ким( |$)/,
    held: "a person's name",
  },
  {
    // "Курс доллара к тенге": a market rate, which no article reports.
    name: "exchange-rate",
    askedPhrase:
      /(^| )(курс|курса|курсе)( \S+)? (доллар|рубл|тенге|евро|валют)|(^| )(доллар|рубл|тенге|евро)\S* (курс|багам)/,
    held: /курс (доллар|рубл|тенге|евро|валют)|багам/,
  },
  {
    // A figure for a half-year is not the figure for a quarter.
    name: "half-year",
    asked: /^(полугоди|жартыжылды)/,
    held: /полугоди|жартыжылды/,
  },
  {
    name: "quarter",
    asked: /^(квартал|токсан)/,
    held: /квартал|токсан/,
  },
  {
    name: "contact",
    asked: /^(телефон|адрес|мекенжай|email|e-mail|почт|сайт)/,
    held: /телефон|адрес|мекенжай|email|почт|сайт|https?:/,
  },
];

/** `namesPerson`: the question names a person (an alias of kind "person"). */
export function askedFor(words: readonly string[], namesPerson = false): AskedFor {
  const quantity = words.some((word) => QUANTITY.has(word));
  const time =
    !quantity &&
    (words.some((word) => TIME.has(word)) ||
      (words.some((word) => WHICH.has(word)) &&
        // "Какой товарооборот в 2018 году" names the year rather than asking it.
        words.some((word, i) => DATE_UNIT.has(word) && !/^\d+$/.test(words[i - 1] ?? ""))));
  const text = words.join(" ");
  const attributes = ATTRIBUTES.filter(
    (attribute) =>
      !attribute.unless?.test(text) &&
      (attribute.askedPhrase?.test(text) ||
        (namesPerson && attribute.askedOfPerson?.test(text)) ||
        words.some(
          (word, i) =>
            attribute.asked?.test(word) ||
            (attribute.askedWithQuantity?.test(word) && nearQuantityWord(words, i)),
        )),
  );
  return { quantity, time, attributes };
}

/**
 * "Сколько средств", "қаражат қанша": the quantity word is next to the thing counted. In
 * "сколько студентов учатся на средства бюджета" it counts the students.
 */
const QUANTITY_WINDOW = 2;

function nearQuantityWord(words: readonly string[], at: number): boolean {
  const from = Math.max(0, at - QUANTITY_WINDOW);
  return words.slice(from, at + QUANTITY_WINDOW + 1).some((word) => QUANTITY.has(word));
}

export function asksForAnything(asked: AskedFor): boolean {
  return asked.quantity || asked.time || asked.attributes.length > 0;
}

/**
 * A count or an amount: a number that is not a year ("(XVI форум, 2019)" says when, not how
 * many), or a number word that is not a rank ("в десятку крупнейших"). The Russian answer is
 * always there, so Russian words suffice.
 */
const QUANTITY_HELD =
  /(?<!\d)(?!(?:19|20)\d\d(?!\d))\d+|тысяч|миллион|миллиард|млн|млрд|трлн|сотн|десятки|десятков/;
const YEAR_OR_DATE =
  /\b(1[89]|20)\d\d\b|\d{1,2}\s*(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр|кантар|акпан|наурыз|сауир|мамыр|маусым|шилде|тамыз|кыркуйек|казан|караша|желтоксан)/;

/** "В дни XVI форума": placed in time by a dated event, which its citation dates. */
const DURING_EVENT = /(?:^| )в дни (?:\S+ )?форума|(?:^| )форум кундери/;

const foldedAnswers = new WeakMap<Fact, string>();

function foldedAnswer(fact: Fact): string {
  let text = foldedAnswers.get(fact);
  if (text === undefined) {
    text = normalizeFolded(`${fact.answer.kk} ${fact.answer.ru}`);
    foldedAnswers.set(fact, text);
  }
  return text;
}

/** Whether the fact's answer holds the kind of value asked for: a number, a date. */
export function answersType(fact: Fact, asked: AskedFor): boolean {
  const text = foldedAnswer(fact);
  if (asked.quantity && !QUANTITY_HELD.test(text)) return false;
  return !(asked.time && !YEAR_OR_DATE.test(text) && !DURING_EVENT.test(text));
}

/** Whether the fact's answer states every attribute asked for. */
export function holdsAttributes(
  fact: Fact,
  asked: AskedFor,
  named: NamedInFact = NOTHING_NAMED,
): boolean {
  const text = foldedAnswer(fact);
  return asked.attributes.every((attribute) =>
    attribute.held === "a city"
      ? named.city(fact)
      : attribute.held === "a person's name"
        ? named.officeHolder(fact)
        : attribute.held.test(text),
  );
}
