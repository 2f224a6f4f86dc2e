import { foldKazakh } from "../search/normalize.ts";

/**
 * Folds a question for grouping in curator reports (not for search): case, ё, Kazakh letters,
 * punctuation and spacing, so that "Қанша?" and "канша" count as one question.
 */
export function normalizeQuestion(text: string): string {
  return foldKazakh(text.normalize("NFC").toLowerCase().replace(/ё/g, "е"))
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .slice(0, 500);
}
