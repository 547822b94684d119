/*
 * Slugs that keep every letter. Django's URLify drops the letters its table does
 * not know ("Uṣṭrāsana" would give "usrasana"); this takes the diacritics off
 * first, as common/slugs.py does on the server, so it gives "ustrasana".
 */
"use strict";
(function () {
  const SEPARATE = {
    ß: "ss", æ: "ae", Æ: "AE", œ: "oe", Œ: "OE", ø: "o", Ø: "O", đ: "d", Đ: "D",
    ł: "l", Ł: "L", ð: "d", Ð: "D", þ: "th", Þ: "TH", ı: "i",
  };

  function plain(text) {
    return text
      .replace(/[ßæÆœŒøØđĐłŁðÐþÞı]/g, (letter) => SEPARATE[letter])
      .normalize("NFKD")
      .replace(/\p{M}/gu, "");
  }

  const djangoURLify = window.URLify;
  if (typeof djangoURLify !== "function") return;
  window.URLify = function (text, length, allowUnicode) {
    return djangoURLify(allowUnicode ? text : plain(text), length, allowUnicode);
  };
})();
