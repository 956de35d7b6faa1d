// `npm run check:layout`: for each package's src, the largest import cycle, the files over the line limit and
// the casts that silence the type checker, checked against scripts/layout-limits.json. Exits 1 when a package
// is over a limit (a regression); prints how far each package is from the target values.
import { readdirSync, existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { measureSources } = require("./layout.cjs");

const root = new URL("..", import.meta.url).pathname;
const config = JSON.parse(readFileSync(join(root, "scripts", "layout-limits.json"), "utf8"));
const { maxLines, limits, targets } = config;

const packages = readdirSync(join(root, "packages")).filter((p) => existsSync(join(root, "packages", p, "src"))).sort();
const problems = [];
const totals = { largestCycle: 0, longFiles: 0, casts: 0 };

for (const pkg of packages) {
  const m = measureSources(join(root, "packages", pkg, "src"), maxLines);
  const measured = { largestCycle: m.largestCycle.length, longFiles: m.longFiles.length, casts: m.castCount };
  totals.largestCycle = Math.max(totals.largestCycle, measured.largestCycle);
  totals.longFiles += measured.longFiles;
  totals.casts += measured.casts;
  console.log(`packages/${pkg}/src (${m.files} files)`);
  console.log(`  largest import cycle: ${measured.largestCycle} files${measured.largestCycle ? `: ${m.largestCycle.join(", ")}` : ""}`);
  console.log(`  files over ${maxLines} lines: ${measured.longFiles}${m.longFiles.map((f) => `\n    ${f.file} (${f.lines})`).join("")}`);
  console.log(`  \`as unknown as\` / \`as never\` casts: ${measured.casts}${m.casts.map((c) => `\n    ${c.file} (${c.count})`).join("")}`);
  const limit = limits[pkg];
  if (limit === undefined) {
    problems.push(`packages/${pkg} has no entry in scripts/layout-limits.json`);
    continue;
  }
  for (const key of Object.keys(measured)) {
    if (measured[key] > limit[key]) problems.push(`packages/${pkg}: ${key} is ${measured[key]}, over its limit of ${limit[key]}`);
  }
}

console.log(`\nall packages: largest cycle ${totals.largestCycle} (target <= ${targets.largestCycle}), ` +
  `${totals.longFiles} files over ${maxLines} lines (target ${targets.longFiles}), ` +
  `${totals.casts} casts (target <= ${targets.casts})`);
if (problems.length > 0) {
  console.error(`\ncheck:layout failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("check:layout: no package is over its limits");
