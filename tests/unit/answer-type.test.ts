import { describe, expect, it } from "vitest";
import {
  type AskedFor,
  answersType,
  askedFor,
  holdsAttributes,
} from "../../src/answer/answer-type.ts";
import type { Fact } from "../../src/knowledge/schema.ts";
import { Analyzer } from "../../src/search/analyzer.ts";

const analyzer = new Analyzer();
const asked = (question: string) => askedFor(analyzer.words(question));
const fact = (ru: string, kk = ru) => ({ answer: { kk, ru } }) as Fact;
/** The names of the attributes a question asks for. */
const names = (question: string) => asked(question).attributes.map((a) => a.name);
/** The fact can answer: it holds the kind of value and every attribute asked for. */
const answers = (f: Fact, a: AskedFor) => answersType(f, a) && holdsAttributes(f, a);

const TRACTORS = fact("запущено производство тракторов «Кировец» мощностью до 500 тракторов в год");
const PROGRAM = fact("программа из 29 проектов на сумму 9 млрд долларов");
const VACCINE = fact("Токаев рассказал о высокой эффективности вакцины QazVac");
const FORUM = fact("форум прошёл в Оренбурге");

describe("what a question asks for", () => {
  it("asks a number of 'how many' and a date of 'when'", () => {
    expect(answers(PROGRAM, asked("сколько проектов в программе"))).toBe(true);
    expect(answers(FORUM, asked("сколько участников было на форуме"))).toBe(false);
    expect(answers(FORUM, asked("какое количество участников было на форуме"))).toBe(false);
    expect(answers(FORUM, asked("форумға қатысушылар саны"))).toBe(false);
    expect(answers(FORUM, asked("когда прошёл форум в Оренбурге"))).toBe(false);
    expect(answers(FORUM, asked("какого числа прошёл форум"))).toBe(false);
    expect(answers(fact("форум прошёл 7 ноября 2019 года"), asked("Форум қай күні өтті?"))).toBe(
      true,
    );
  });

  it("takes 'in the days of the forum' for a 'when', the forum being dated", () => {
    const youth = fact(
      "в дни XVI форума в Омске прошёл первый Форум молодёжных лидеров",
      "XVI форум күндері Омбыда жастар көшбасшыларының бірінші форумы өтті",
    );
    expect(answers(youth, asked("когда был форум молодёжных лидеров"))).toBe(true);
    expect(answersType(youth, asked("жастар форумы қашан өтті"))).toBe(true);
    // "Days of the Orenburg region" are a festival, not a time.
    const days = fact(
      "в Актобе пройдут Дни Оренбургской области",
      "Ақтөбеде Орынбор облысының күндері",
    );
    expect(answersType(days, asked("когда пройдут дни области"))).toBe(false);
  });

  it("asks a price of 'how much does it cost', in either language", () => {
    expect(answers(TRACTORS, asked("Сколько стоит трактор Кировец?"))).toBe(false);
    expect(answers(TRACTORS, asked("Кировец тракторының бағасы қанша?"))).toBe(false);
    expect(answers(PROGRAM, asked("Какова стоимость программы?"))).toBe(true);
  });

  it("asks a percentage, a population, a length only of a fact that states one", () => {
    expect(answers(VACCINE, asked("Какая эффективность у QazVac в процентах?"))).toBe(false);
    expect(answers(VACCINE, asked("QazVac тиімділігі неше пайыз?"))).toBe(false);
    expect(answers(VACCINE, asked("насколько эффективна QazVac"))).toBe(true);
    expect(answers(FORUM, asked("Какое население Оренбурга?"))).toBe(false);
    expect(answers(FORUM, asked("Орынборда қанша халық тұрады?"))).toBe(false);
    expect(answers(FORUM, asked("Какова протяжённость границы?"))).toBe(false);
  });

  it("does not read an attribute into words that mean something else without 'how many'", () => {
    // "бағасы" is also an assessment, "тұрғындары" residents thanked, "халық" people gathered.
    expect(asked("Путин форумға қандай баға берді").attributes).toEqual([]);
    expect(asked("Тоқаев тұрғындарына не үшін алғыс айтты").attributes).toEqual([]);
    expect(asked("форумға халық көп жиналды ма").attributes).toEqual([]);
    expect(answers(TRACTORS, asked("Кировец тракторлары қайда шығарылады"))).toBe(true);
  });
});

describe("attributes asked in two words", () => {
  it("asks jobs of 'сколько рабочих мест' and 'қанша жұмыс орны'", () => {
    const jobs = fact("проект создаст 1000 рабочих мест", "жоба 1000 жұмыс орнын ашады");
    expect(answers(PROGRAM, asked("Сколько рабочих мест создаст программа?"))).toBe(false);
    expect(answers(PROGRAM, asked("Бағдарлама қанша жұмыс орнын ашады?"))).toBe(false);
    expect(answers(jobs, asked("Сколько рабочих мест создаст программа?"))).toBe(true);
    // Working on its own is not jobs: "how many Russian firms work in Kazakhstan".
    expect(asked("Қазақстанда қанша ресейлік компания жұмыс істейді").attributes).toEqual([]);
  });
});

describe("a question asking how to do something", () => {
  it("asks a procedure, which only a fact with a proposal or a requirement can meet", () => {
    expect(
      asked("Ресей шекарасынан жеке көлікпен қалай өтуге болады?").attributes.map((a) => a.name),
    ).toEqual(["procedure"]);
    expect(asked("как получить патент на работу в России").attributes.map((a) => a.name)).toEqual([
      "procedure",
    ]);
    expect(answers(FORUM, asked("как перевести деньги в Казахстан"))).toBe(false);
    const proposal = fact("Токаев предложил упростить пересечение границы");
    expect(answers(proposal, asked("как упростить пересечение границы"))).toBe(true);
    // "How did it go" asks no procedure.
    expect(asked("как прошёл форум в Омске").attributes).toEqual([]);
    expect(asked("Омбыда форум қалай өтті").attributes).toEqual([]);
  });

  it("asks a population of 'how many people live'", () => {
    expect(answers(FORUM, asked("Омбыда қанша адам тұрады?"))).toBe(false);
    expect(answers(FORUM, asked("сколько человек живет в Омске"))).toBe(false);
  });
});

describe("a population", () => {
  it("is held only where the answer counts people", () => {
    const employment = fact("дорожная карта предусматривает меры по занятости населения");
    const census = fact("в области проживает 2 миллиона жителей");
    expect(answers(employment, asked("Какое население Оренбурга?"))).toBe(false);
    expect(answers(census, asked("Какое население области?"))).toBe(true);
  });
});

describe("words that name a thing, not a figure", () => {
  it("does not read a venue, plants or a checkpoint as a size or a capacity", () => {
    expect(asked("Оренбург стал площадкой XVIII форума?").attributes).toEqual([]);
    expect(asked("новые производственные мощности в области").attributes).toEqual([]);
    expect(asked("өткізу бекетін кеңейту жоспарда бар ма").attributes).toEqual([]);
    expect(asked("Какая мощность завода?").attributes.map((a) => a.name)).toEqual(["capacity"]);
    expect(asked("Зауыттың қуаты қанша?").attributes.map((a) => a.name)).toEqual(["capacity"]);
    expect(asked("Какова площадь области?").attributes.map((a) => a.name)).toEqual(["size"]);
  });
});

describe("a view is not a procedure", () => {
  it("reads 'how to …, in Tokayev's view' as asking what he said", () => {
    expect(asked("как выйти из пандемии по мнению Токаева").attributes).toEqual([]);
    expect(asked("Тоқаевтың ойынша пандемиядан қалай шығуға болады").attributes).toEqual([]);
    expect(asked("как выйти из пандемии").attributes.map((a) => a.name)).toEqual(["procedure"]);
  });
});

describe("a count", () => {
  it("is not the year of the speaker's attribution", () => {
    const attributed = fact(
      "По словам Токаева (XVI форум в Омске, 2019), нужны новые пункты пропуска",
    );
    expect(answers(attributed, asked("Сколько пунктов пропуска на границе?"))).toBe(false);
    expect(answers(fact("открыто 12,5 тысячи рабочих мест"), asked("сколько мест"))).toBe(true);
    expect(
      answers(fact("в 2019 году подписано более 20 документов"), asked("сколько документов")),
    ).toBe(true);
  });
});

describe("a person's age", () => {
  it("is asked by 'сколько лет' only of a person", () => {
    const putinSaid = fact(
      "16 лет назад Владимир Путин и Нурсултан Назарбаев провели первый форум",
    );
    expect(answers(putinSaid, askedFor(analyzer.words("Сколько лет Путину?"), true))).toBe(false);
    // Of a forum, "сколько лет" asks how long ago it began, which this fact answers.
    expect(answers(putinSaid, askedFor(analyzer.words("Сколько лет форуму?"), false))).toBe(true);
  });
});

describe("who came before or after a person", () => {
  const ofPerson = (question: string) =>
    askedFor(analyzer.words(question), true).attributes.map((a) => a.name);

  it("asks a predecessor or a successor, which the articles never name", () => {
    expect(ofPerson("Кто был губернатором Оренбургской области до Паслера?")).toEqual([
      "predecessor",
    ]);
    expect(ofPerson("кто сменил Мамина на посту премьера")).toEqual(["predecessor"]);
    expect(ofPerson("Паслерден бұрын губернатор кім болды?")).toEqual(["predecessor"]);
    expect(ofPerson("Мишустиннен кейін кім премьер болады")).toEqual(["predecessor"]);
    const governor = fact("губернатор Оренбургской области Денис Паслер выступил с докладом");
    expect(
      holdsAttributes(governor, askedFor(analyzer.words("кто был губернатором до Паслера"), true)),
    ).toBe(false);
  });

  it("reads 'before' and 'after' as a time, not a person, when no one is asked for", () => {
    expect(ofPerson("что сказал Путин после переговоров")).toEqual([]);
    expect(ofPerson("Тоқаев форумнан кейін не айтты")).toEqual([]);
    // Without a named person "до" is only a preposition.
    expect(asked("кто выступал до обеда").attributes).toEqual([]);
  });
});

describe("figures the articles give only for some things", () => {
  it("asks an exchange rate of 'курс доллара', not of a course of action", () => {
    expect(names("курс доллара к тенге на сегодня")).toEqual(["exchange-rate"]);
    expect(names("рубльдің теңгеге бағамы қандай")).toEqual(["exchange-rate"]);
    expect(names("какой курс взяли на сотрудничество")).toEqual([]);
  });

  it("tells a half-year from a quarter", () => {
    const quarter = fact("по итогам первого квартала торговля выросла на 10%");
    expect(answers(quarter, asked("на сколько выросла торговля за первое полугодие"))).toBe(false);
    expect(answers(quarter, asked("на сколько выросла торговля за первый квартал"))).toBe(true);
  });

  it("asks an amount of 'объём инвестиций' without 'how much'", () => {
    const zone = fact("Токаев одобрил создание СЭЗ в Северо-Казахстанской области");
    expect(answers(zone, asked("Какой объём инвестиций запланирован в СЭЗ?"))).toBe(false);
    expect(answers(PROGRAM, asked("какой объём инвестиций в программе"))).toBe(true);
  });

  it("does not take a rank for an amount", () => {
    const rank = fact("Россия и Казахстан входят в десятку крупнейших экспортёров пшеницы");
    expect(answers(rank, asked("сколько пшеницы экспортирует Казахстан"))).toBe(false);
    expect(answers(fact("десятки совместных проектов"), asked("сколько проектов"))).toBe(true);
  });
});

describe("which city", () => {
  it("asks a city of 'в каком городе' and 'қай қалада', not of the verb 'қалады'", () => {
    expect(names("В каком городе откроют филиал НИШ?")).toEqual(["city"]);
    expect(names("Филиал Ресейдің қай қаласында ашылады?")).toEqual(["city"]);
    expect(names("конвенция табиғи ресурстарды пайдалануға қандай негіз қалады")).toEqual([]);
  });

  it("is held by a fact that names a city, as the engine tells it", () => {
    const branch = fact("филиал можно открыть в одном из приграничных регионов России");
    const question = asked("в каком городе откроют филиал");
    expect(holdsAttributes(branch, question)).toBe(false);
    expect(holdsAttributes(branch, question, { city: () => true, officeHolder: () => false })).toBe(
      true,
    );
  });
});

describe("a person's name", () => {
  it("is asked by 'как зовут', 'аты-жөні', 'аты кім', not by a thing's 'аты'", () => {
    expect(names("Как зовут президента Беларуси?")).toEqual(["person's name"]);
    expect(names("Молдова премьер-министрінің аты-жөні кім?")).toEqual(["person's name"]);
    expect(names("Беларусь президентінің аты кім?")).toEqual(["person's name"]);
    expect(names("форумның аты қандай")).toEqual([]);
  });
});

describe("words that ask a figure only next to 'how many'", () => {
  it("are read with the quantity word beside them, not anywhere in the question", () => {
    expect(names("сколько средств выделено на программу")).toEqual(["money"]);
    expect(names("жол картасына қанша қаражат бөлінеді")).toEqual(["money"]);
    expect(names("сколько казахстанских студентов учатся на средства российского бюджета")).toEqual(
      [],
    );
    expect(names("Орынборда халқы қанша")).toEqual(["population"]);
    // "Халық шығармашылығы" is folk art; "шара өткізу" is holding events.
    expect(names("халық шығармашылығы жылында қанша шара өткізу жоспарланған")).toEqual([]);
  });

  it("does not take employment for a population", () => {
    expect(names("Что в дорожной карте про занятость населения?")).toEqual([]);
    expect(names("Какое население Оренбурга?")).toEqual(["population"]);
  });
});
