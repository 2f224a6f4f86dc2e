import type { KnowledgeBase } from "../knowledge/load.ts";
import { type Fact, LANGS, type Lang } from "../knowledge/schema.ts";
import { detectLanguage } from "../search/detect-language.ts";
import { smallTalk } from "../search/question-part.ts";
import {
  type Candidate,
  type DocumentInput,
  type RetrievalResult,
  Retriever,
} from "../search/retriever.ts";
import {
  ATTRIBUTES,
  answersType,
  askedFor,
  asksForAnything,
  holdsAttributes,
} from "./answer-type.ts";
import { citationsOf } from "./citations.ts";
import { confidenceFeatures, confidenceOf, type FeatureVector } from "./confidence.ts";
import { placedElsewhere, placesIn } from "./direction.ts";
import { FactNames } from "./named.ts";
import type { Answer, AnswerEngine, AskOptions, Suggestion } from "./types.ts";
import { periodYears, statesOtherYears } from "./years.ts";

/** Below this confidence the engine declines; below SURE it answers but offers alternatives. */
export const DEFAULT_THRESHOLDS = { decline: 0.4, sure: 0.55 };
export type Thresholds = typeof DEFAULT_THRESHOLDS;

const FIELD_WEIGHTS = { questions: 1, answer: 0.5, event: 0.3 };
const MAX_SUGGESTIONS = 3;
const TYPE_MISMATCH_PENALTY = 0.7;
/** A fact that does not state the attribute asked about (a price, jobs) cannot answer at all. */
const ATTRIBUTE_MISMATCH_PENALTY = 0.4;
/**
 * A fact on another year or in the other country than the question's contradicts it, which
 * weighs as much as lacking one of its numbers or names.
 */
const CONTRADICTION_PENALTY = 0.6;

export interface ScoredAnswer extends Answer {
  /** The retrieval signals behind the confidence, for calibration and debugging. */
  retrieval: RetrievalResult;
  /** What would be shown if the engine answered whatever its confidence: the best fact and its group. */
  bestFactIds: string[];
  features: FeatureVector | null;
}

export function factDocument(fact: Fact, kb: KnowledgeBase): DocumentInput {
  const event = fact.forum ? kb.eventsById.get(fact.forum) : undefined;
  const eventText = event
    ? LANGS.map((lang) => `${event.name[lang]} ${event.city?.[lang] ?? ""}`).join(" ") +
      (event.year ? ` ${event.year}` : "")
    : "";
  return {
    fields: [
      { text: `${fact.answer.kk} \n ${fact.answer.ru}`, weight: FIELD_WEIGHTS.answer },
      { text: eventText, weight: FIELD_WEIGHTS.event },
    ],
    // The questions and the keywords are the ways people ask for the fact.
    phrasings: [
      ...LANGS.flatMap((lang) => fact.questions[lang].map((text) => ({ text, lang }))),
      { text: fact.keywords.join(" "), lang: null },
    ],
    phrasingWeight: FIELD_WEIGHTS.questions,
  };
}

export class FactAnswerEngine implements AnswerEngine {
  private readonly retriever: Retriever;
  private readonly featured: Fact[];
  private readonly docOf: Map<string, number>;
  /** Attributes some fact states: a question about any other (the weather) cannot be answered. */
  private readonly statedAttributes: Set<string>;
  /**
   * Which facts name a city, an office-holder, people (computed when first asked), and which
   * words of a question are people: "сколько лет" asks a person's age, a forum's history otherwise.
   */
  private readonly named: FactNames;

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly thresholds: Thresholds = DEFAULT_THRESHOLDS,
  ) {
    this.docOf = new Map(kb.facts.map((fact, doc) => [fact.id, doc]));
    this.retriever = new Retriever(
      kb.facts.map((fact) => factDocument(fact, kb)),
      kb.aliases,
    );
    this.named = new FactNames(this.retriever.analyzer, kb.aliases);
    this.statedAttributes = new Set(
      ATTRIBUTES.filter((attribute) =>
        kb.facts.some((fact) =>
          holdsAttributes(
            fact,
            { quantity: false, time: false, attributes: [attribute] },
            this.named,
          ),
        ),
      ).map((attribute) => attribute.name),
    );
    this.featured = kb.facts
      .filter((fact) => fact.featured)
      .sort((a, b) => (a.featured ?? 0) - (b.featured ?? 0));
  }

  detectLanguage(text: string): Lang | null {
    return detectLanguage(text);
  }

  ask(question: string, options: AskOptions = {}): ScoredAnswer {
    const retrieval = this.retriever.search(question);
    const words = retrieval.terms.map((term) => term.word);
    const asked = askedFor(
      words,
      this.named.personsAmong(retrieval.terms.flatMap((term) => term.keys)).length > 0,
    );
    const years = periodYears(words);
    const places = placesIn(words);
    // A name reached only through typo correction is a guess ("сомасы" → "Смайылов").
    const people = this.named.personsAmong(
      retrieval.terms.filter((term) => !term.corrected).flatMap((term) => term.keys),
    );
    // "How many" is better answered by a fact with a number, "when" by one with a date.
    if (asksForAnything(asked) || years.length > 0 || places.size > 0 || people.length > 0) {
      for (const candidate of retrieval.candidates) {
        const fact = this.kb.facts[candidate.doc] as Fact;
        if (!answersType(fact, asked)) candidate.score *= TYPE_MISMATCH_PENALTY;
        if (!holdsAttributes(fact, asked, this.named))
          candidate.score *= ATTRIBUTE_MISMATCH_PENALTY;
        if (
          statesOtherYears(fact, this.eventYear(fact), years) ||
          placedElsewhere(fact, places) ||
          this.leavesOut(fact, people)
        ) {
          candidate.missesSpecific = true;
          candidate.score *= CONTRADICTION_PENALTY;
        }
      }
      retrieval.candidates.sort((a, b) => b.score - a.score || a.doc - b.doc);
    }
    const { candidates } = retrieval;
    const top = candidates[0];
    // A question typed without Kazakh letters and without function words can read as either
    // language; the language of the alternate question it matched tells then.
    const lang =
      options.lang ?? detectLanguage(question) ?? top?.phrasingLang ?? options.fallbackLang ?? "ru";
    const talk = smallTalk(question, (text) => this.retriever.analyzer.words(text));
    if (talk) {
      return {
        lang,
        answered: false,
        facts: [],
        confidence: 0,
        lowConfidence: false,
        smallTalk: talk,
        // A greeting is answered with what the bot can tell; thanks need nothing more.
        suggestions: talk === "greeting" ? this.examples(lang, []) : [],
        retrieval,
        bestFactIds: [],
        features: null,
      };
    }
    const best = top ? this.withGroup(this.kb.facts[top.doc] as Fact) : [];
    const mismatch = {
      typeMismatch: best.length > 0 && !best.some((fact) => answersType(fact, asked)),
      attributeMismatch:
        best.length > 0 && !best.some((fact) => holdsAttributes(fact, asked, this.named)),
    };
    const features = confidenceFeatures(
      retrieval,
      mismatch,
      new Set(best.map((fact) => this.docOf.get(fact.id) as number)),
    );
    // A fact that does not state what is asked (a price, a name) cannot answer however close
    // its words, and no fact can when none states it (the weather).
    const cannotAnswer =
      mismatch.attributeMismatch ||
      asked.attributes.some((attribute) => !this.statedAttributes.has(attribute.name));
    const confidence = cannotAnswer ? 0 : confidenceOf(features);
    const bestFactIds = best.map((fact) => fact.id);
    if (!top || confidence < this.thresholds.decline) {
      return {
        lang,
        answered: false,
        facts: [],
        confidence,
        lowConfidence: false,
        suggestions: this.examples(lang, candidates),
        retrieval,
        bestFactIds,
        features,
      };
    }
    const answering = best;
    const lowConfidence = confidence < this.thresholds.sure;
    const shown = new Set(answering.map((fact) => fact.id));
    const suggestions = lowConfidence ? this.alternatives(lang, candidates.slice(1), shown) : [];
    return {
      lang,
      answered: true,
      facts: answering.map((fact) => ({
        id: fact.id,
        topic: fact.topic,
        forum: fact.forum ?? null,
        text: fact.answer[lang],
        citations: citationsOf(fact, this.kb),
      })),
      confidence,
      lowConfidence,
      suggestions,
      retrieval,
      bestFactIds,
      features,
    };
  }

  /**
   * One of the people the question names must be in the fact's answer: a fact naming none of
   * them is not about them, whatever its alternate questions say ("что сказал Путин на саммите
   * СНГ" and a fact listing the countries that took part). Only one: "Токаев и Путин обсудили
   * в узком составе" is answered by Tokayev's words on talks the two held.
   */
  private leavesOut(fact: Fact, people: readonly string[]): boolean {
    if (people.length === 0) return false;
    const named = this.named.persons(fact);
    return !people.some((key) => named.has(key));
  }

  private eventYear(fact: Fact): number | null {
    return (fact.forum ? this.kb.eventsById.get(fact.forum)?.year : null) ?? null;
  }

  /** Facts that give another figure for the same question come along, attributed. */
  private withGroup(fact: Fact): Fact[] {
    if (!fact.group) return [fact];
    return [
      fact,
      ...this.kb.facts.filter((other) => other.group === fact.group && other.id !== fact.id),
    ];
  }

  private alternatives(
    lang: Lang,
    candidates: readonly Candidate[],
    shown: Set<string>,
  ): Suggestion[] {
    const suggestions: Suggestion[] = [];
    for (const candidate of candidates) {
      const fact = this.kb.facts[candidate.doc] as Fact;
      if (
        shown.has(fact.id) ||
        (fact.group &&
          suggestions.some((s) => this.kb.factsById.get(s.factId)?.group === fact.group))
      )
        continue;
      shown.add(fact.id);
      suggestions.push({ factId: fact.id, question: fact.questions[lang][0] as string });
      if (suggestions.length === MAX_SUGGESTIONS) break;
    }
    return suggestions;
  }

  /** What to offer after "I don't know": the nearest candidate, then the featured facts. */
  private examples(lang: Lang, candidates: readonly Candidate[]): Suggestion[] {
    const shown = new Set<string>();
    const near = this.alternatives(
      lang,
      candidates.filter((c) => c.coverage > 0.3),
      shown,
    ).slice(0, 1);
    const picks: Suggestion[] = [...near];
    for (const fact of this.featured) {
      if (picks.length >= MAX_SUGGESTIONS) break;
      if (shown.has(fact.id)) continue;
      picks.push({ factId: fact.id, question: fact.questions[lang][0] as string });
    }
    return picks;
  }
}

export function createAnswerEngine(kb: KnowledgeBase, thresholds?: Thresholds): FactAnswerEngine {
  return new FactAnswerEngine(kb, thresholds);
}
