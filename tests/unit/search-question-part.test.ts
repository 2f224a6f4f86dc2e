import { describe, expect, it } from "vitest";
import { Analyzer } from "../../src/search/analyzer.ts";
import { questionPart, smallTalk } from "../../src/search/question-part.ts";

const analyzer = new Analyzer();
const part = (text: string) => questionPart(text, (sentence) => analyzer.words(sentence));

describe("the question in a message", () => {
  it("leaves out a greeting and the asker's introduction", () => {
    expect(part("Здравствуйте! Я студентка, пишу курсовую. Для чего проводится форум?")).toBe(
      "Для чего проводится форум?",
    );
    expect(part("Сәлеметсіз бе! Мен журналистпін. Омбыда қанша құжат қол қойылды?")).toBe(
      "Омбыда қанша құжат қол қойылды?",
    );
    expect(part("Добрый день. Какой был товарооборот?")).toBe("Какой был товарооборот?");
    expect(part("я предприниматель из Петропавловска — могу ли рассчитывать на содействие?")).toBe(
      "могу ли рассчитывать на содействие?",
    );
    expect(part("Мен Алматыдан журналистпін: форум қашан өтті?")).toBe("форум қашан өтті?");
  });

  it("keeps context sentences, questions about the asker, and numbers with a point", () => {
    expect(part("Омский форум 2019. Какие документы подписали?")).toBe(
      "Омский форум 2019. Какие документы подписали?",
    );
    expect(part("Привет. Я могу поступить в российский вуз?")).toBe(
      "Я могу поступить в российский вуз?",
    );
    // A longer clause before a dash may be the question itself.
    expect(part("Я могу поступить в вуз - если я из Казахстана?")).toBe(
      "Я могу поступить в вуз - если я из Казахстана?",
    );
    expect(part("товарооборот 18.2 млрд. это за какой год?")).toBe(
      "товарооборот 18.2 млрд. это за какой год?",
    );
    // A message of greetings only is left as it is, to be answered as such.
    expect(part("Здравствуйте! Спасибо.")).toBe("Здравствуйте! Спасибо.");
  });
});

describe("small talk", () => {
  const talk = (text: string) => smallTalk(text, (sentence) => analyzer.words(sentence));

  it("tells a greeting and thanks, in either language", () => {
    expect(talk("Привет!")).toBe("greeting");
    expect(talk("Добрый день")).toBe("greeting");
    expect(talk("Сәлеметсіз бе")).toBe("greeting");
    expect(talk("Спасибо большое за помощь!")).toBe("thanks");
    expect(talk("Көп рахмет")).toBe("thanks");
  });

  it("is not a message that asks something", () => {
    expect(talk("Привет, какой был товарооборот?")).toBeNull();
    expect(talk("какой день")).toBeNull();
    expect(talk("")).toBeNull();
  });
});
