// Runs search.js under Node for node_test.go: node harness.js search.js job.json
// job: {root, folds: [string], queries: [string], searches: [{manifest, q, section, year, limit}]}
"use strict";
const fs = require("fs"), path = require("path"), { pathToFileURL, fileURLToPath } = require("url");
const [script, jobFile] = process.argv.slice(2);
require(path.resolve(script));
const S = globalThis.bantinSearch;
const job = JSON.parse(fs.readFileSync(jobFile, "utf8"));
(async () => {
  const out = { folds: (job.folds || []).map(S.fold), queries: (job.queries || []).map(S.parseQuery), searches: [] };
  for (const c of job.searches || []) {
    const fetched = [];
    const idx = S.open(pathToFileURL(path.join(job.root, c.manifest)).href, async (u) => {
      const p = fileURLToPath(u);
      fetched.push(path.relative(job.root, p));
      return JSON.parse(fs.readFileSync(p, "utf8"));
    });
    const res = await idx.search(c.q, { section: c.section, year: c.year });
    const hits = res.total ? await idx.describe(res, 0, c.limit) : [];
    out.searches.push({ total: res.total, urls: hits.map((h) => h.url), scores: hits.map((h) => h.score),
      sections: res.sections, years: res.years, fetched });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
