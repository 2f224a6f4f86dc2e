import { describe, expect, it } from "vitest";
import { wizardStep, wizardView } from "../../src/bot/conversations/subscribe.ts";
import { KbRefs } from "../../src/bot/refs.ts";
import { loadKnowledgeBase } from "../../src/knowledge/load.ts";
import { testI18n } from "./helpers.ts";

const kb = loadKnowledgeBase();
const deps = { kb, refs: new KbRefs(kb) };
const i18n = testI18n();

type State = Parameters<typeof wizardStep>[1];

function walk(presses: string[]) {
  let state: State = { step: "scope", topics: [] };
  for (const data of presses) {
    const next = wizardStep(deps, state, data);
    if (next === null || typeof next === "string") return { state, last: next };
    state = next;
  }
  return { state, last: undefined };
}

describe("the /subscribe wizard", () => {
  it("every step has buttons within Telegram's limits, in both languages, and no empty rows", () => {
    const states: State[] = [
      { step: "scope", topics: [] },
      { step: "event", topics: [] },
      { step: "topics", topics: ["trade"] },
      { step: "cadence", topics: [], scope: { kind: "all" } },
      { step: "day", topics: [], scope: { kind: "all" } },
      { step: "hour", topics: [], scope: { kind: "all" }, day: 1 },
      {
        step: "confirm",
        topics: [],
        scope: { kind: "all" },
        cadence: { kind: "weekly", day: 1, hour: 9 },
      },
    ];
    for (const lang of ["kk", "ru"] as const) {
      for (const state of states) {
        const view = wizardView(deps, state, lang, i18n.t(lang), "Asia/Almaty");
        expect(view.text.length).toBeGreaterThan(0);
        expect(view.text).not.toMatch(/subscribe\./); // every key translated
        for (const row of view.keyboard.inline_keyboard) {
          expect(row.length, state.step).toBeGreaterThan(0);
          for (const button of row) {
            expect(button.text).not.toMatch(/subscribe\./);
            const data = "callback_data" in button ? (button.callback_data ?? "") : "";
            expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
          }
        }
      }
    }
  });

  it("walks to a confirmation: topics weekly, one event, everything", () => {
    const topics = walk([
      "sub:t",
      "sub:tt:trade",
      "sub:tt:energy",
      "sub:tt:trade",
      "sub:td",
      "sub:cw",
      "sub:d:0",
      "sub:h:23",
    ]);
    expect(topics.state).toMatchObject({
      step: "confirm",
      scope: { kind: "topics", topics: ["energy"] },
      cadence: { kind: "weekly", day: 0, hour: 23 },
    });
    expect(wizardStep(deps, topics.state, "sub:ok")).toBe("confirmed");

    const ref = deps.refs.eventRef("forum-xviii-orenburg");
    const event = walk(["sub:e", `sub:ev:${ref}`, "sub:cn"]);
    expect(event.state).toMatchObject({
      step: "confirm",
      scope: { kind: "event", eventId: "forum-xviii-orenburg" },
      cadence: { kind: "new" },
    });
    expect(walk(["sub:a", "sub:cn"]).state).toMatchObject({
      step: "confirm",
      scope: { kind: "all" },
    });
  });

  it("goes back a step, refuses presses of other steps and unknown topics, and cancels", () => {
    expect(walk(["sub:a", "sub:cw", "sub:b"]).state.step).toBe("cadence");
    expect(walk(["sub:t", "sub:tt:trade", "sub:td", "sub:b"]).state.step).toBe("topics");
    expect(walk(["sub:a", "sub:cn", "sub:b"]).state.step).toBe("cadence");
    expect(walk(["sub:a", "sub:cw", "sub:d:2", "sub:h:5", "sub:b"]).state.step).toBe("hour");
    expect(walk(["sub:a", "sub:a"]).last).toBeNull();
    expect(walk(["sub:t", "sub:tt:people"]).last).toBeNull();
    expect(walk(["sub:t", "sub:tt:nonsense"]).last).toBeNull();
    expect(walk(["sub:a", "sub:cw", "sub:h:25"]).last).toBeNull();
    expect(walk(["sub:t", "sub:td"]).state.step).toBe("topics"); // no topic yet
    expect(walk(["sub:a", "sub:x"]).last).toBe("cancelled");
  });
});
