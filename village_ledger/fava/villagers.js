// Fava's own pages in the villagers' words, on the public server (`village-ledger serve`).
//
// Beancount's root accounts are Latin and cannot be renamed (its options take Latin names
// only), and some of Fava's labels are not translated; this relabels them where Fava shows
// them, as they appear: an account reads by its names without codes
// (Expenses:513-管理费用:51302-办公费 → 支出:管理费用:办公费), a voucher's metadata keys in
// Chinese, the journal's entry types and the charts' month names in Chinese.
// `serve` prepends `const LABELS = {...}` (village_ledger.model.vocab).
(() => {
  const { roots, keys, types, words } = LABELS;
  const account = new RegExp(`^(${Object.keys(roots).join("|")})((?::[^:\\s]+)*)$`, "u");
  const coded = /^\d{2,}-(\D\S*)$/u; // 513-管理费用, never a date such as 2026-10-01
  const name = (part) => (coded.exec(part) || [null, part])[1];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const fullMonths = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  const month = new RegExp(`\\b(${[...fullMonths, ...months].join("|")})\\b`, "gu");
  const monthName = (m) => `${(months.indexOf(m) + 1 || fullMonths.indexOf(m) + 1)}月`;
  const accountPlace = 'a[href*="/account/"], .tree-table, .treetable, h1, svg, .account';

  function plain(text, element) {
    const found = account.exec(text);
    if (found) return [roots[found[1]], ...found[2].split(":").slice(1).map(name)].join(":");
    if (coded.test(text) && element.closest(accountPlace)) return name(text);
    const key = text.endsWith(":") ? text.slice(0, -1) : text;
    if (Object.hasOwn(keys, key) && element.closest("dl, .metadata")) {
      return keys[key] + (text === key ? "" : "：");
    }
    if (element.matches(".journal span.flag")) {
      const kind = Object.keys(types).find((type) => element.closest(`li.${type}`));
      if (kind) return types[kind];
    }
    const fava = element.closest(".journal, article form, .last-activity");
    if (fava && Object.hasOwn(words, text)) return words[text];
    if (fava && /\b(True|False)\b/u.test(text)) {
      return text.replace(/\b(True|False)\b/gu, (word) => words[word]);
    }
    if (element.closest("svg") && month.test(text)) return text.replace(month, monthName);
    return null;
  }

  function relabel(node) {
    const root = node.nodeType === Node.TEXT_NODE ? node.parentNode : node;
    if (!root || root.nodeType !== Node.ELEMENT_NODE) return;
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let text = walk.nextNode(); text; text = walk.nextNode()) {
      const shown = text.nodeValue.trim();
      if (!shown || shown.length > 300 || !text.parentElement) continue;
      month.lastIndex = 0;
      const label = plain(shown, text.parentElement);
      if (label !== null && label !== shown) text.nodeValue = text.nodeValue.replace(shown, label);
    }
  }

  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "characterData") relabel(record.target);
      for (const added of record.addedNodes) relabel(added);
    }
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
})();
