/**
 * Folds a question for grouping in curator reports (not for search): case, ё, Kazakh letters,
 * punctuation and spacing, so that "Қанша?" and "канша" count as one question.
 */
const FOLD: Record<string, string> = {
  ё: "е",
  ә: "а",
  ғ: "г",
  қ: "к",
  ң: "н",
  ө: "о",
  ұ: "у",
  ү: "у",
  һ: "х",
  і: "и",
};

export function normalizeQuestion(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[ёәғқңөұүһі]/g, (letter) => FOLD[letter] ?? letter)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .slice(0, 500);
}
