// A small reader for this server's own OpenAPI document (the API's or the worker's):
// fetched from this server, rendered with DOM calls only (no HTML strings), so the page
// runs under a strict CSP with no third-party code.
"use strict";

const METHODS = ["get", "post", "put", "patch", "delete"];

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function refName(ref) {
  return ref.split("/").pop();
}

// A schema as JSON, with references to named schemas expanded once (cycles left as names).
function expand(schema, doc, seen) {
  if (!schema || typeof schema !== "object") return schema;
  if (Array.isArray(schema)) return schema.map((s) => expand(s, doc, seen));
  if (schema.$ref) {
    const name = refName(schema.$ref);
    if (seen.has(name)) return { $ref: name };
    const target = ((doc.components || {}).schemas || {})[name];
    return target ? expand(target, doc, new Set([...seen, name])) : { $ref: name };
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) out[key] = expand(value, doc, seen);
  return out;
}

function schemaBlock(schema, doc) {
  if (!schema) return null;
  return el("pre", {}, JSON.stringify(expand(schema, doc, new Set()), null, 2));
}

function parameters(op) {
  const params = op.parameters || [];
  if (params.length === 0) return null;
  const rows = params.map((p) =>
    el("tr", {},
      el("td", {}, el("code", {}, p.name)),
      el("td", {}, p.in),
      el("td", {}, p.required ? "required" : "optional"),
      el("td", {}, p.description || ""),
    ));
  return el("table", {}, el("tr", {}, el("th", {}, "parameter"), el("th", {}, "in"), el("th", {}, ""), el("th", {}, "description")), ...rows);
}

function requestBody(op, doc) {
  const content = (op.requestBody || {}).content || {};
  const json = content["application/json"];
  if (!json) return null;
  return el("div", {}, el("h4", {}, "Request body (application/json)"), schemaBlock(json.schema, doc));
}

function responses(op, doc) {
  const list = Object.entries(op.responses || {}).map(([status, response]) => {
    const json = ((response.content || {})["application/json"] || {}).schema;
    const name = json && json.$ref ? " — " + refName(json.$ref) : "";
    const item = el("details", {}, el("summary", {}, status + " " + (response.description || "") + name));
    if (json) item.append(schemaBlock(json, doc));
    return item;
  });
  return el("div", {}, el("h4", {}, "Responses"), ...list);
}

function operation(method, path, op, doc) {
  const secured = (op.security || doc.security || []).length > 0;
  const box = el("details", { "data-search": (method + " " + path + " " + (op.summary || "")).toLowerCase() },
    el("summary", {},
      el("span", { class: "method " + method }, method),
      el("span", { class: "path" }, path),
      " ",
      op.summary || "",
      secured ? el("span", { class: "lock" }, "(token)") : null,
    ),
    op.description && op.description !== op.summary ? el("p", {}, op.description) : null,
    parameters(op),
    requestBody(op, doc),
    responses(op, doc),
  );
  return box;
}

function render(doc) {
  const info = doc.info || {};
  document.getElementById("title").textContent = (info.title || "API") + " " + (info.version || "");
  document.title = (info.title || "API") + " reference";
  document.getElementById("description").textContent = info.description || "";
  const byTag = new Map((doc.tags || []).map((t) => [t.name, { tag: t, ops: [] }]));
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const name = (op.tags || ["other"])[0];
      if (!byTag.has(name)) byTag.set(name, { tag: { name }, ops: [] });
      byTag.get(name).ops.push(operation(method, path, op, doc));
    }
  }
  const main = document.getElementById("operations");
  const nav = document.getElementById("tags");
  main.replaceChildren();
  for (const { tag, ops } of byTag.values()) {
    if (ops.length === 0) continue;
    nav.append(el("a", { href: "#tag-" + tag.name }, tag.name));
    main.append(el("section", {},
      el("h2", { id: "tag-" + tag.name }, tag.name),
      tag.description ? el("p", {}, tag.description) : null,
      ...ops));
  }
  document.getElementById("filter").addEventListener("input", (event) => {
    const needle = event.target.value.trim().toLowerCase();
    for (const box of main.querySelectorAll("details[data-search]")) {
      box.hidden = needle !== "" && !box.dataset.search.includes(needle);
    }
  });
}

fetch("/openapi.json")
  .then((response) => response.json())
  .then(render)
  .catch((error) => {
    document.getElementById("operations").replaceChildren(el("p", {}, "Could not load /openapi.json: " + error));
  });
