import type { Fact } from "../knowledge/schema.ts";
import { normalizeFolded } from "../search/normalize.ts";

/**
 * Which of the two countries a figure is in: "74 тысячи казахстанцев учатся в российских
 * вузах" is in Russia, "российские студенты в Казахстане" in Kazakhstan. Both questions name
 * both countries, so only the place tells them apart; a question about one side answered with
 * the other's figure is a near miss.
 */
export type Country = "kz" | "ru";

const NOUN: Record<Country, RegExp> = {
  kz: /^(казахстан\S*|рк|казакстан\S*)$/,
  ru: /^(росси[яиюей]\S*|рф|ресей\S*)$/,
};
const ADJECTIVE: Record<Country, RegExp> = {
  kz: /^казахстанск/,
  ru: /^(российск|русск)/,
};
/** Kazakh place and direction cases: "Ресейде", "Қазақстанға", "Ресейдегі". */
const KAZAKH_PLACE: Record<Country, RegExp> = {
  kz: /^казакстан(да|дагы|га|ка)$/,
  ru: /^ресей(де|деги|ге)$/,
};
const IN = new Set(["в", "во"]);
const ECONOMY = /^(экономик|рынк|рынок|регион|вуз|университет|школ)/;

function countryOf(word: string, patterns: Record<Country, RegExp>): Country | null {
  if (patterns.kz.test(word)) return "kz";
  if (patterns.ru.test(word)) return "ru";
  return null;
}

/**
 * Countries the text places something in (folded words): "в Казахстане", "в российских
 * вузах", "в экономику Казахстана", "Ресейде".
 */
export function placesIn(words: readonly string[]): Set<Country> {
  const places = new Set<Country>();
  words.forEach((word, i) => {
    const kazakh = countryOf(word, KAZAKH_PLACE);
    if (kazakh) places.add(kazakh);
    if (!IN.has(word)) return;
    const next = words[i + 1] ?? "";
    const direct = countryOf(next, NOUN) ?? countryOf(next, ADJECTIVE);
    if (direct) {
      places.add(direct);
      // "в России и Казахстане"
      const second = words[i + 2] === "и" ? countryOf(words[i + 3] ?? "", NOUN) : null;
      if (second) places.add(second);
    } else if (ECONOMY.test(next)) {
      const owner = countryOf(words[i + 2] ?? "", NOUN);
      if (owner) places.add(owner);
    }
  });
  return places;
}

const factPlaces = new WeakMap<Fact, Set<Country>>();

/** Where the fact's figure is, read from its Russian answer; empty when it does not say. */
export function placeOfFact(fact: Fact): Set<Country> {
  let places = factPlaces.get(fact);
  if (!places) {
    places = placesIn(normalizeFolded(fact.answer.ru).split(" "));
    factPlaces.set(fact, places);
  }
  return places;
}

/** The question places its figure in one country, and the fact in the other only. */
export function placedElsewhere(fact: Fact, asked: ReadonlySet<Country>): boolean {
  if (asked.size !== 1) return false;
  const places = placeOfFact(fact);
  return places.size === 1 && !places.has([...asked][0] as Country);
}
