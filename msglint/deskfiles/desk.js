// msglint drafting desk: plain JavaScript, no library, no build step.
// Talks to the service's JSON endpoints on the same origin; keeps nothing but the page's state.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("desk-data").textContent);
  const S = data.strings;
  const $ = (id) => document.getElementById(id);
  const state = {
    catalogue: null,      // GET /v1/templates
    scenario: null,       // the chosen scenario record
    lang: null,           // the reply language in use
    detected: null,       // the buyer's language, from /v1/suggest
    text: "",             // the text the findings refer to
    findings: [],
    problems: [],
    messageType: null,
    edited: false,        // the agent typed into the draft itself
    token: null,          // kept in memory only
    seq: 0,               // answers to older requests are dropped
  };

  // --- the API -------------------------------------------------------------------------------
  async function api(path, body) {
    const headers = {"Content-Type": "application/json"};
    if (state.token) headers.Authorization = "Bearer " + state.token;
    const res = await fetch(path, body === undefined ? {headers} :
      {method: "POST", headers, body: JSON.stringify(body)});
    let json = null;
    try { json = await res.json(); } catch (e) { json = null; }
    if (res.status === 401) $("token-box").hidden = false;
    return {status: res.status, body: json};
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  }

  const LANG_MARKETPLACE = {en: "US", de: "DE", fr: "FR", es: "ES", it: "IT", ja: "JP"};
  function marketplace() {
    return $("marketplace").value || LANG_MARKETPLACE[state.lang] || "US";
  }

  // --- offsets: the service counts code points, JavaScript strings count UTF-16 units ----------
  function codePointIndex(text) {
    const units = [0];
    let u = 0;
    for (const ch of text) { u += ch.length; units.push(u); }
    return (cp) => units[Math.min(cp, units.length - 1)];
  }

  // --- scenarios ----------------------------------------------------------------------------------
  function title(s) { return data.ui === "zh" && s.title_zh ? s.title_zh : s.title; }

  async function loadCatalogue() {
    const r = await api("/v1/templates");
    if (r.status !== 200) { setVerdict("error"); return; }
    state.catalogue = r.body;
    const select = $("scenario-select");
    for (const s of r.body.scenarios) {
      const opt = document.createElement("option");
      opt.value = s.id;
      opt.textContent = title(s);
      select.appendChild(opt);
    }
  }

  async function suggestScenarios() {
    const text = $("buyer-message").value;
    if (!text.trim()) { $("buyer-message").focus(); return; }
    $("suggest-btn").disabled = true;
    try {
      const r = await api("/v1/suggest", {text});
      if (r.status !== 200) { setVerdict("error"); return; }
      state.detected = r.body.lang;
      const names = S.language_names.split(",");
      const langs = ["en", "de", "fr", "es", "it", "ja"];
      $("detected").textContent = "(" + S.detected + ": " + (names[langs.indexOf(r.body.lang)] || r.body.lang) + ")";
      const list = $("suggestion-list");
      list.textContent = "";
      r.body.suggestions.forEach((s, i) => {
        const label = document.createElement("label");
        label.className = "suggestion";
        const input = document.createElement("input");
        input.type = "radio";
        input.name = "scenario";
        input.value = s.id;
        input.id = "suggestion-" + i;
        input.addEventListener("change", () => chooseScenario(s.id));
        const strong = document.createElement("strong");
        strong.textContent = title(s);
        const reason = document.createElement("span");
        reason.className = "reason";
        reason.textContent = s.reason;
        label.append(input, " ", strong, " ", reason);
        list.appendChild(label);
      });
      $("suggestions").hidden = r.body.suggestions.length === 0;
      $("no-suggestions").hidden = r.body.suggestions.length !== 0;
    } finally {
      $("suggest-btn").disabled = false;
    }
  }

  function replyLanguage(scenario) {
    const chosen = $("template-lang").value;
    const wanted = chosen === "auto" ? (state.detected || "en") : chosen;
    return scenario.languages.includes(wanted) ? wanted : scenario.languages[0];
  }

  function chooseScenario(id) {
    const s = state.catalogue && state.catalogue.scenarios.find((x) => x.id === id);
    if (!s) return;
    state.scenario = s;
    state.edited = false;
    $("scenario-select").value = id;
    for (const radio of document.querySelectorAll('input[name="scenario"]')) radio.checked = radio.value === id;
    buildForm();
    $("step-values").hidden = false;
    renderDraft();
  }

  // --- the variables form -------------------------------------------------------------------------
  function label(v) {
    if (data.variable_labels[v.name]) return data.variable_labels[v.name];
    const words = v.name.replace(/_/g, " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  function buildForm() {
    const s = state.scenario;
    const lang = state.lang = replyLanguage(s);
    const old = {};
    for (const el of $("values-form").elements) old[el.name] = el.value;
    const form = $("values-form");
    form.textContent = "";
    $("scenario-when").textContent = (data.ui === "zh" && s.when_zh ? s.when_zh : s.when) +
      " (" + s.message_type + ", " + s.limit + " " + S.limit + ")";
    for (const v of s.variables) {
      const row = document.createElement("div");
      row.className = "field";
      const lab = document.createElement("label");
      lab.htmlFor = "var-" + v.name;
      lab.textContent = label(v) + " ";
      const tag = document.createElement("span");
      tag.className = v.required ? "req" : "opt";
      tag.textContent = "(" + (v.required ? S.required : S.optional) + ")";
      lab.appendChild(tag);
      let input;
      if (v.type === "choice") {
        input = document.createElement("select");
        const empty = document.createElement("option");
        empty.value = "";
        empty.textContent = S.choose;
        input.appendChild(empty);
        for (const c of v.choices) {
          const opt = document.createElement("option");
          opt.value = c;
          opt.textContent = c;
          input.appendChild(opt);
        }
      } else {
        input = document.createElement("input");
        input.type = v.type === "date" ? "date" : v.type === "integer" ? "number" : "text";
        if (v.type === "money") input.inputMode = "decimal";
        if (v.type === "order_id") { input.inputMode = "numeric"; input.pattern = "\\d{3}-\\d{7}-\\d{7}"; }
        if (v.type === "integer") { if (v.min != null) input.min = v.min; if (v.max != null) input.max = v.max; }
        const example = (v.examples && v.examples[lang]) || v.example;
        if (example && v.type !== "date") input.placeholder = S.example + " " + example;
      }
      input.id = "var-" + v.name;
      input.name = v.name;
      input.required = v.required;
      input.autocomplete = "off";
      if (old[v.name]) input.value = old[v.name];
      if (v.help) {
        const help = document.createElement("small");
        help.id = "help-" + v.name;
        help.textContent = v.help;
        input.setAttribute("aria-describedby", help.id);
        row.append(lab, input, help);
      } else {
        row.append(lab, input);
      }
      form.appendChild(row);
    }
  }

  function values() {
    const out = {};
    for (const el of $("values-form").elements) if (el.name) out[el.name] = el.value;
    return out;
  }

  // --- drafting and checking -----------------------------------------------------------------------
  async function renderDraft() {
    const s = state.scenario;
    if (!s || currentMode() !== "template") return;
    const vals = values();
    const missing = s.variables.filter((v) => v.required && !String(vals[v.name] || "").trim());
    if (missing.length) {
      $("still-needed").textContent = S.still_needed + " " + missing.map(label).join(", ");
      return;
    }
    $("still-needed").textContent = "";
    const seq = ++state.seq;
    setVerdict("checking");
    const r = await api("/v1/draft", {scenario: s.id, lang: state.lang, marketplace: marketplace(), values: vals});
    if (seq !== state.seq) return;
    if (r.status === 422 && r.body && r.body.variable) {
      $("still-needed").textContent = r.body.error;
      const field = $("var-" + r.body.variable);
      if (field) field.setAttribute("aria-invalid", "true");
      setVerdict("");
      return;
    }
    if (r.status !== 200) { showResult("", [], [], "error"); return; }
    for (const el of $("values-form").elements) el.removeAttribute("aria-invalid");
    state.edited = false;
    state.messageType = r.body.message_type;
    $("draft").value = r.body.text;
    showResult(r.body.text, r.body.findings, r.body.problems, r.body.verdict);
  }

  async function checkText() {
    const text = $("draft").value;
    const seq = ++state.seq;
    if (!text.trim()) { showResult("", [], [], ""); return; }
    setVerdict("checking");
    const body = {text, kind: "message", marketplace: marketplace()};
    if (currentMode() === "template" && state.messageType) body.message_type = state.messageType;
    const r = await api("/v1/check", body);
    if (seq !== state.seq) return;
    if (r.status !== 200 || !r.body || !["pass", "block"].includes(r.body.verdict)) {
      showResult(text, [], [], "error");
      return;
    }
    showResult(text, r.body.findings, [], r.body.verdict);
  }

  function showResult(text, findings, problems, verdict) {
    const changed = text !== state.text;
    state.text = text;
    state.findings = findings;
    state.problems = problems;
    renderPreview();
    renderFindings();
    const errors = findings.some((f) => f.severity === "error") || problems.length > 0;
    if (verdict === "error") setVerdict("error");
    else if (!text) setVerdict("");
    else if (errors || verdict === "block") setVerdict("block");
    else if (findings.length) setVerdict("warn");
    else setVerdict("pass");
    $("copy-btn").disabled = !text || verdict === "error" || errors || verdict === "block";
    if ($("copy-btn").disabled && text && verdict !== "error") $("copy-status").textContent = S.copy_blocked;
    // the same draft checked again (a field left without a change) keeps "Copied"; a new text clears it
    else if (changed || $("copy-btn").disabled) $("copy-status").textContent = "";
  }

  function setVerdict(kind) {
    const el = $("verdict");
    el.className = kind ? "verdict-" + kind : "";
    el.textContent = kind ? S["verdict_" + kind] || S.checking : "";
    if (kind === "checking") el.textContent = S.checking;
  }

  function rank(sev) { return {error: 3, warning: 2, info: 1}[sev] || 0; }

  function renderPreview() {
    const text = state.text;
    const at = codePointIndex(text);
    const cuts = new Set([0, text.length]);
    const spans = state.findings.map((f, i) => ({i, start: at(f.start), end: at(f.end), f}));
    for (const sp of spans) { cuts.add(sp.start); cuts.add(sp.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const box = $("preview");
    box.textContent = "";
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k], b = points[k + 1];
      const piece = text.slice(a, b);
      const covering = spans.filter((sp) => sp.start <= a && sp.end >= b && sp.end > sp.start);
      if (!covering.length) { box.appendChild(document.createTextNode(piece)); continue; }
      covering.sort((x, y) => rank(y.f.severity) - rank(x.f.severity));
      const mark = document.createElement("mark");
      mark.className = "sev-" + covering[0].f.severity;
      mark.textContent = piece;
      mark.dataset.code = covering.map((sp) => sp.f.code).join(" ");
      mark.title = covering.map((sp) => sp.f.code + ": " + sp.f.message).join("\n");
      mark.setAttribute("aria-describedby", covering.map((sp) => "finding-" + sp.i).join(" "));
      box.appendChild(mark);
    }
  }

  function renderFindings() {
    const list = $("findings");
    list.textContent = "";
    for (const p of state.problems) {
      const li = document.createElement("li");
      li.className = "sev-error";
      li.textContent = p;
      list.appendChild(li);
    }
    if (!state.findings.length && !state.problems.length && state.text) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = S.no_findings;
      list.appendChild(li);
    }
    state.findings.forEach((f, i) => {
      const li = document.createElement("li");
      li.id = "finding-" + i;
      li.className = "finding sev-" + f.severity;
      const head = document.createElement("p");
      const code = document.createElement("strong");
      code.textContent = f.code + " " + f.name;
      const sev = document.createElement("span");
      sev.className = "severity";
      sev.textContent = " [" + (S[f.severity] || f.severity) + "] ";
      const quote = document.createElement("q");
      quote.textContent = f.text;
      head.append(code, sev, quote);
      const msg = document.createElement("p");
      msg.className = "message";
      msg.textContent = f.message;
      li.append(head, msg);
      const why = f.category && data.categories[f.category];
      if (why) {
        const p = document.createElement("p");
        p.className = "why";
        p.textContent = S.why + ": " + why;
        li.appendChild(p);
      }
      if (f.fix) {
        const btn = document.createElement("button");
        btn.type = "button";
        btn.className = "apply-fix";
        btn.textContent = S.apply_fix + ": " + (f.fix.replacement ? S.replace_with + " “" + f.fix.replacement + "”" : S.remove);
        btn.addEventListener("click", () => applyFix(i));
        li.appendChild(btn);
      }
      list.appendChild(li);
    });
  }

  function applyFix(i) {
    const f = state.findings[i];
    if (!f || !f.fix) return;
    const replacement = f.fix.replacement;
    // The fix replaces text[fix.start:fix.end] (its clause or sentence; schema 1.3), else the finding's span.
    const fixStart = f.fix.start === undefined ? f.start : f.fix.start;
    const fixEnd = f.fix.end === undefined ? f.end : f.fix.end;
    // A finding inside a value the agent typed is fixed in that field, so the next render keeps it fixed.
    if (currentMode() === "template" && !state.edited && state.scenario) {
      const fields = [...$("values-form").elements].filter((el) => el.value && el.value.includes(f.text));
      if (fields.length === 1) {
        const field = fields[0];
        // a fix wider than the finding rewrites the draft's sentence: in a value, only the detail goes
        const inField = (fixStart === f.start && fixEnd === f.end) ? replacement : "";
        field.value = field.value.replace(f.text, inField).replace(/\s{2,}/g, " ").trim();
        field.focus();
        renderDraft();
        return;
      }
    }
    const text = $("draft").value;
    if (text !== state.text) return;  // the text changed since the check: the next check decides
    const at = codePointIndex(text);
    const start = at(fixStart), end = at(fixEnd);
    $("draft").value = text.slice(0, start) + replacement + text.slice(end);
    state.edited = true;
    $("draft").focus();
    $("draft").setSelectionRange(start + replacement.length, start + replacement.length);
    checkText();
  }

  async function copyDraft() {
    const text = $("draft").value;
    let ok = false;
    try {
      // a clipboard that neither answers nor refuses (a busy or unfocused browser) counts as refused after 2 s,
      // so the agent always learns whether the draft was copied
      ok = await Promise.race([
        navigator.clipboard.writeText(text).then(() => true),
        new Promise((resolve) => setTimeout(() => resolve(false), 2000)),
      ]);
    } catch (e) {
      ok = false;
    }
    if (!ok) {
      $("draft").select();
      ok = Boolean(document.execCommand && document.execCommand("copy"));
    }
    $("copy-status").textContent = ok ? S.copied : S.copy_failed;
  }

  function currentMode() {
    const checked = document.querySelector('input[name="mode"]:checked');
    return checked ? checked.value : "template";
  }

  function switchMode() {
    const free = currentMode() === "free";
    for (const el of document.querySelectorAll(".template-only")) {
      el.hidden = free || (el.id === "step-values" && !state.scenario);
    }
    const labelEl = $("draft-label");
    labelEl.textContent = free ? labelEl.dataset.free : labelEl.dataset.template;
    state.edited = free;
    if (free) checkText(); else if (state.scenario) renderDraft(); else showResult("", [], [], "");
  }

  // --- wiring ----------------------------------------------------------------------------------------
  const renderSoon = debounce(renderDraft, 300);
  const checkSoon = debounce(checkText, 300);
  $("suggest-btn").addEventListener("click", suggestScenarios);
  $("scenario-select").addEventListener("change", (e) => { if (e.target.value) chooseScenario(e.target.value); });
  $("values-form").addEventListener("input", renderSoon);
  $("values-form").addEventListener("change", renderSoon);
  $("values-form").addEventListener("submit", (e) => { e.preventDefault(); renderDraft(); });
  $("draft").addEventListener("input", () => { state.edited = true; checkSoon(); });
  $("copy-btn").addEventListener("click", copyDraft);
  $("marketplace").addEventListener("change", () => (state.edited || currentMode() === "free" ? checkText() : renderDraft()));
  $("template-lang").addEventListener("change", () => { if (state.scenario) { buildForm(); renderDraft(); } });
  for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener("change", switchMode);
  $("token-btn").addEventListener("click", () => {
    state.token = $("token").value.trim() || null;
    $("token-box").hidden = true;
    if (!state.catalogue) loadCatalogue();
  });
  loadCatalogue();
})();
