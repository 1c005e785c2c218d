// Runs the script of a `check --trace-html` page against a minimal DOM and
// prints what a reader sees at each step of the slider: the label, the step
// text, the state lines (changed ones marked *), and the row the chart
// highlights. Usage: node html_trace_run.js PAGE.html
'use strict';
const fs = require('fs');
const page = fs.readFileSync(process.argv[2], 'utf8');
const script = page.match(/<script>([\s\S]*)<\/script>/)[1];
const svgText = page.match(/<svg[\s\S]*<\/svg>/)[0];
const rows = {};
for (const m of svgText.matchAll(/<text x="\d+" y="(\d+)"[^>]*data-step="(\d+)"/g))
  rows[m[2]] = +m[1];
const width = svgText.match(/width="(\d+)"/)[1];

function element() {
  return { textContent: '', innerHTML: '', value: '0', attrs: {},
           setAttribute(k, v) { this.attrs[k] = String(v); },
           getAttribute(k) { return this.attrs[k]; },
           addEventListener(ev, f) { this.on = f; } };
}
const els = { step: element(), label: element(), text: element(), state: element() };
const mark = element();
const svg = element();
svg.attrs.width = width;
svg.children = [null, null, null];
svg.insertBefore = (node) => { svg.marked = node; };
svg.querySelector = (sel) => {
  const i = sel.match(/data-step="(\d+)"/)[1];
  if (!(i in rows)) return null;
  const row = element();
  row.attrs.y = String(rows[i]);
  row.scrollIntoView = () => {};
  return row;
};
global.document = {
  getElementById: (id) => els[id],
  querySelector: (sel) => (sel === '#chart svg' ? svg : null),
  createElementNS: () => mark,
  addEventListener: () => {},
};
new Function(script)();
const last = Object.keys(rows).length - 1;
for (let i = 0; i <= last; ++i) {
  els.step.value = String(i);
  els.step.on();
  const state = els.state.innerHTML
    .replace(/<span class="changed">([^<]*)<\/span>/g, '*$1')
    .split('\n').join(' | ');
  console.log(`${els.label.textContent}: ${els.text.textContent.split('\n')[0]}`);
  console.log(`  state: ${state}`);
  console.log(`  highlight y=${mark.attrs.y} (row y=${rows[i]}) width=${mark.attrs.width}`);
}
