// 录入凭证: the script of the private dashboard's voucher entry form (village_ledger/fava/entry.py).
// Keeps the roster lists to the people in office on the voucher's date, shows the resolution
// list when the amount reaches a tier, fills in the next voucher number, and posts the form to
// the extension's `check` and `save` endpoints. Text from the books or the server is only ever
// set as text, never as HTML.

const CENTS = /^-?\d+(\.\d{1,2})?$/;

function cents(text) {
  const plain = (text || "").replace(/[,，\s元¥￥]/g, "");
  return CENTS.test(plain) ? Math.round(parseFloat(plain) * 100) : null;
}

function yuan(amount) {
  const sign = amount < 0 ? "-" : "";
  const whole = Math.floor(Math.abs(amount) / 100).toLocaleString("en-US");
  return `${sign}${whole}.${String(Math.abs(amount) % 100).padStart(2, "0")}`;
}

function inForce(tier, day) {
  let value = tier.default;
  for (const [since, amount] of tier.changes) if (since <= day) value = amount;
  return Math.round(parseFloat(value) * 100);
}

function nonce() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text != null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function setOptions(select, values, labels = values) {
  const current = select.value;
  select.replaceChildren(element("option", "（不填）"));
  select.firstChild.value = "";
  values.forEach((value, index) => {
    const option = element("option", labels[index]);
    option.value = value;
    select.append(option);
  });
  select.value = values.includes(current) ? current : "";
}

function wire(ctx, form, data) {
  const field = (name) => form.elements.namedItem(name);
  const lines = form.querySelector("#vl-lines");
  const result = document.getElementById("vl-result");
  let formNonce = nonce();

  const holders = (roles, day) =>
    [...new Set(data.terms
      .filter(([, role, start, end]) => roles.includes(role) && start <= day && (!end || day < end))
      .map(([person]) => person))].sort();

  function totals() {
    let debit = 0, credit = 0;
    for (const line of lines.querySelectorAll(".vl-line")) {
      debit += cents(line.querySelector('[name="debit"]').value) || 0;
      credit += cents(line.querySelector('[name="credit"]').value) || 0;
    }
    document.getElementById("vl-debit").textContent = yuan(debit);
    document.getElementById("vl-credit").textContent = yuan(credit);
    const balance = document.getElementById("vl-balance");
    balance.textContent = debit === credit ? "" : `借贷相差 ${yuan(Math.abs(debit - credit))} 元`;
    balance.className = debit === credit ? "" : "off";
    return debit;
  }

  function refresh() {
    const day = field("day").value;
    const number = document.getElementById("vl-number");
    if (day) {
      const month = day.slice(0, 7);
      number.textContent = `${month}-${String((data.highest[month] || 0) + 1).padStart(3, "0")}`;
    } else {
      number.textContent = "—";
    }
    const on = day || "9999-12-31";
    setOptions(field("approver"), holders(data.approving, on));
    setOptions(field("reviewer"), holders(data.reviewing, on));
    const people = document.getElementById("vl-people");
    people.replaceChildren(...holders(data.terms.map((t) => t[1]), on).map((person) => {
      const option = element("option");
      option.value = person;
      return option;
    }));
    const amount = totals();
    const tiers = Object.entries(data.tiers)
      .map(([name, tier]) => ({ name, rank: tier.rank, amount: inForce(tier, on) }))
      .filter((tier) => amount >= tier.amount)
      .sort((a, b) => b.rank - a.rank);
    const meeting = document.getElementById("vl-meeting-field");
    meeting.hidden = tiers.length === 0 && !field("meeting").value;
    if (tiers.length) {
      const tier = tiers[0];
      document.getElementById("vl-tier").textContent =
        `金额达到${tier.name} ${yuan(tier.amount)} 元，须引用会议决议`;
      const usable = data.meetings.filter(([, since, , , , , rank]) => since <= on && rank >= tier.rank);
      setOptions(field("meeting"), usable.map((m) => m[0]),
        usable.map(([id, , body, subject, amount, spent]) =>
          `${id} ${body}：${subject}（剩余 ${yuan(cents(amount) - cents(spent))} 元）`));
    } else {
      document.getElementById("vl-tier").textContent = "";
    }
  }

  function addLine() {
    const line = lines.querySelector(".vl-line").cloneNode(true);
    for (const input of line.querySelectorAll("input")) input.value = "";
    lines.append(line);
    return line;
  }

  function collect() {
    const fields = {};
    for (const name of ["day", "narration", "payee", "handler", "reviewer", "approver", "meeting",
      "document", "invoice_date", "attachments", "receipt_no", "project", "witness", "guests",
      "hosts", "guest_org", "letter"]) {
      const value = field(name).value.trim();
      if (value && !(name === "meeting" && document.getElementById("vl-meeting-field").hidden)) {
        fields[name] = value;
      }
    }
    const posted = [...lines.querySelectorAll(".vl-line")].map((line) => ({
      account: line.querySelector('[name="account"]').value.trim(),
      debit: line.querySelector('[name="debit"]').value.trim(),
      credit: line.querySelector('[name="credit"]').value.trim(),
    }));
    return { fields, lines: posted, nonce: formNonce };
  }

  function show(answer) {
    result.replaceChildren();
    const kind = answer.saved || (answer.ok && !(answer.findings || []).length) ? "ok"
      : answer.ok ? "warn" : "error";
    let message = answer.message;
    if (!message) {
      if (answer.errors) message = "填写有误，请改正：";
      else if (!answer.ok) message = "凭证带来以下错误，不能保存：";
      else if ((answer.findings || []).length) message = "检查通过（有预警，可以保存）：";
      else message = "检查通过，没有发现问题，可以保存。";
    }
    result.append(element("div", message, `vl-message ${kind}`));
    if (answer.errors) {
      const list = element("ul", null, "vl-errors");
      for (const error of answer.errors) list.append(element("li", error));
      result.append(list);
    }
    if ((answer.findings || []).length) {
      const table = element("table", null, "vl-list vl-findings");
      const head = element("tr");
      for (const title of ["规则", "级别", "说明"]) head.append(element("th", title));
      table.append(element("thead"));
      table.tHead.append(head);
      const body = element("tbody");
      for (const finding of answer.findings) {
        const row = element("tr", null, finding.error ? "error" : "warning");
        row.append(element("td", finding.rule), element("td", finding.severity),
          element("td", finding.message));
        body.append(row);
      }
      table.append(body);
      result.append(table);
    }
    if (answer.text) {
      result.append(element("h2", answer.saved ? "已写入账簿的凭证" : "将写入账簿的凭证"));
      result.append(element("pre", answer.text, "vl-text"));
    }
  }

  async function send(endpoint) {
    for (const button of form.querySelectorAll(".vl-actions button")) button.disabled = true;
    result.replaceChildren(element("div", endpoint === "save" ? "正在保存……" : "正在检查……",
      "vl-message pending"));
    try {
      const answer = await ctx.api.post(endpoint, collect());
      show(answer);
      if (answer.saved) {
        const month = answer.number.slice(0, 7);
        data.highest[month] = Math.max(data.highest[month] || 0, parseInt(answer.number.slice(8), 10));
        formNonce = nonce();
        for (const input of lines.querySelectorAll("input")) input.value = "";
        for (const name of ["narration", "payee", "document", "invoice_date", "attachments",
          "receipt_no", "guests", "hosts", "guest_org", "letter"]) field(name).value = "";
        refresh();
      }
    } catch (error) {
      show({ ok: false, errors: [`无法连接服务器：${error}`] });
    } finally {
      for (const button of form.querySelectorAll(".vl-actions button")) button.disabled = false;
    }
  }

  form.addEventListener("input", (event) => {
    if (event.target.name !== "reviewer" && event.target.name !== "approver") refresh();
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "day") refresh();
  });
  lines.addEventListener("click", (event) => {
    if (event.target.classList.contains("vl-remove") && lines.children.length > 2) {
      event.target.closest(".vl-line").remove();
      refresh();
    }
  });
  document.getElementById("vl-add-line").addEventListener("click", () => addLine());
  document.getElementById("vl-check").addEventListener("click", () => send("check"));
  document.getElementById("vl-save").addEventListener("click", () => send("save"));
  refresh();
}

export default {
  onExtensionPageLoad(ctx) {
    const form = document.getElementById("vl-entry-form");
    const source = document.getElementById("vl-entry-data");
    if (!form || !source || form.dataset.wired) return;
    form.dataset.wired = "yes";
    wire(ctx, form, JSON.parse(source.textContent));
  },
};
