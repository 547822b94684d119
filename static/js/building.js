// The practice the practitioner is building, kept in this browser as the same short code its address
// carries (practice/sequence.py): "1.mountain~30s.tree". Shared by "Add to my practice" and the builder.

import { read, write } from "./record.js";

const KEY = "yogasite:building";
export const VERSION = "1";

export const storedCode = () => {
  const code = read(KEY, "");
  return typeof code === "string" && code.startsWith(`${VERSION}.`) ? code : "";
};

// The builder's own cookie follows, so that its address without a practice (which the server answers from
// the cookie, for browsers without a script) opens the same one. Only the builder's addresses receive it.
export function storeCode(code) {
  const age = code ? 365 * 24 * 3600 : 0;
  document.cookie = `practice_build=${code || ""}; path=/practice/build/; max-age=${age}; samesite=lax`;
  return write(KEY, code || null);
}

export const stepsIn = (code) => (code ? code.split(".").slice(1).filter(Boolean) : []);

export function builderUrl(base, code) {
  return code ? `${base}?s=${code}` : base;
}
