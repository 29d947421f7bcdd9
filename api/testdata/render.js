// render.js runs the script of docs.html under Node.js with the little DOM
// it uses, on the document given, and prints what it rendered as JSON: the
// element trees of the contents and the main part (each element
// {"t": tag, "a": attributes, "c": children}, text as strings), before and
// after a keyboard user presses ArrowRight on the first request sample's
// tab, with the id of the element that then has the focus.
//
// Usage: node render.js docs.html openapi.json
"use strict";
const fs = require("fs");
const vm = require("vm");

const [page, docPath] = process.argv.slice(2);
const html = fs.readFileSync(page, "utf8");
const script = /<script>([\s\S]*)<\/script>/.exec(html)[1];
const docText = fs.readFileSync(docPath, "utf8");

class Text {
  constructor(data) { this.data = String(data); }
  get textContent() { return this.data; }
}

class Element {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attrs = {};
    this.childNodes = [];
    this.listeners = {};
  }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
  removeAttribute(k) { delete this.attrs[k]; }
  get className() { return this.attrs.class || ""; }
  set className(v) { this.attrs.class = String(v); }
  get id() { return this.attrs.id || ""; }
  flag(name, on) { if (on) this.attrs[name] = ""; else delete this.attrs[name]; }
  get hidden() { return "hidden" in this.attrs; }
  set hidden(on) { this.flag("hidden", on); }
  get open() { return "open" in this.attrs; }
  set open(on) { this.flag("open", on); }
  appendChild(child) { this.childNodes.push(child); return child; }
  get textContent() { return this.childNodes.map((c) => c.textContent).join(""); }
  set textContent(v) { this.childNodes = v === "" ? [] : [new Text(v)]; }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  dispatch(type, ev) { (this.listeners[type] || []).forEach((fn) => fn(ev)); }
  focus() { document.activeElement = this; }
  scrollIntoView() {}
  find(pred) {
    if (pred(this)) return this;
    for (const c of this.childNodes) {
      const hit = c instanceof Element && c.find(pred);
      if (hit) return hit;
    }
    return null;
  }
}

function tree(node) {
  if (node instanceof Text) return node.data;
  return { t: node.tagName.toLowerCase(), a: { ...node.attrs }, c: node.childNodes.map(tree) };
}

const body = new Element("body");
for (const [tag, id] of [["h1", "title"], ["div", "meta"], ["nav", "toc"], ["main", "main"]]) {
  const e = body.appendChild(new Element(tag));
  e.setAttribute("id", id);
}
const document = {
  title: "",
  activeElement: null,
  createElement: (tag) => new Element(tag),
  createTextNode: (data) => new Text(data),
  getElementById: (id) => body.find((e) => e.id === id),
};
let fetched = "";
const context = vm.createContext({
  document,
  location: { pathname: "/docs", hash: "" },
  window: { addEventListener() {} },
  navigator: {},
  fetch: (url) => {
    fetched = url;
    return Promise.resolve({ ok: true, status: 200, json: () => Promise.resolve(JSON.parse(docText)) });
  },
  console,
});
vm.runInContext(script, context, { filename: page });

function snapshot() {
  return { toc: tree(document.getElementById("toc")), main: tree(document.getElementById("main")) };
}

setImmediate(() => {
  const before = snapshot();
  const tab = body.find((e) => e.getAttribute("role") === "tab");
  if (tab) tab.dispatch("keydown", { key: "ArrowRight", preventDefault() {} });
  const after = snapshot();
  const active = document.activeElement ? document.activeElement.id : "";
  process.stdout.write(JSON.stringify({ fetched, title: document.title, before, after, active }));
});
