import type { AliasRecord, Fact } from "../knowledge/schema.ts";
import { type Analyzer, aliasKeys } from "../search/analyzer.ts";

/** What a fact's answer names, for questions that ask "which city" or "what is the name of". */
export interface NamedInFact {
  /** A city other than where the fact's speaker spoke. */
  city(fact: Fact): boolean;
  /** A person given with their office: "губернатор Оренбургской области Денис Паслер". */
  officeHolder(fact: Fact): boolean;
}

export const NOTHING_NAMED: NamedInFact = { city: () => false, officeHolder: () => false };

/** Words of an office, folded, in both languages; a name follows within a few words. */
const OFFICE =
  /^(президент|премьер|аким|губернатор|глав|председател|министр|мэр|посол|вице|басшы|тораг|акими|елши)/;
const NAME_WITHIN = 5;

/**
 * The answer without who said it where: "По словам Токаева на форуме в Омске, …",
 * "Тоқаевтың айтуынша (Омбыдағы XVI форум, 2019), …". The forum's city there is where the
 * words were spoken, not a city the fact is about.
 */
function withoutAttribution(answer: string): string {
  return answer
    .replace(/\([^()]*\)/g, " ")
    .replace(/^"?По словам [^,]*,/, " ")
    .replace(/^[^,]*?айтуынша,?/, " ");
}

export class FactNames implements NamedInFact {
  private readonly cityKeys: Set<string>;
  private readonly personKeys: Set<string>;
  private readonly cities = new WeakMap<Fact, boolean>();
  private readonly officeHolders = new WeakMap<Fact, boolean>();
  private readonly people = new WeakMap<Fact, Set<string>>();

  constructor(
    private readonly analyzer: Analyzer,
    aliases: readonly AliasRecord[],
  ) {
    this.cityKeys = aliasKeys(aliases, (alias) => alias.kind === "city");
    this.personKeys = aliasKeys(aliases, (alias) => alias.kind === "person");
  }

  city(fact: Fact): boolean {
    let names = this.cities.get(fact);
    if (names === undefined) {
      names = this.analyzer
        .analyze(`${withoutAttribution(fact.answer.ru)} ${withoutAttribution(fact.answer.kk)}`)
        .some((term) => term.keys.some((key) => this.cityKeys.has(key)));
      this.cities.set(fact, names);
    }
    return names;
  }

  /** Alias keys of the people the fact's answer names, in either language. */
  persons(fact: Fact): Set<string> {
    let keys = this.people.get(fact);
    if (!keys) {
      keys = new Set(
        this.analyzer
          .analyze(`${fact.answer.ru} ${fact.answer.kk}`)
          .flatMap((term) => term.keys.filter((key) => this.personKeys.has(key))),
      );
      this.people.set(fact, keys);
    }
    return keys;
  }

  /** Alias keys of people among a question's keys. */
  personsAmong(keys: readonly string[]): string[] {
    return keys.filter((key) => this.personKeys.has(key));
  }

  officeHolder(fact: Fact): boolean {
    let names = this.officeHolders.get(fact);
    if (names === undefined) {
      const terms = this.analyzer.analyze(fact.answer.ru);
      names = terms.some(
        (term, i) =>
          OFFICE.test(term.word) &&
          terms
            .slice(i + 1, i + 1 + NAME_WITHIN)
            .some((next) => next.keys.some((key) => this.personKeys.has(key))),
      );
      this.officeHolders.set(fact, names);
    }
    return names;
  }
}
