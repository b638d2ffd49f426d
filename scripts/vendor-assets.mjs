// Copies the pinned npm packages the pages use into static/vendor/, so the
// app serves every asset itself (closed municipal network: no CDN, no
// external fonts).  Run by `make` after `npm ci`; static/vendor is not
// committed.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nm = (p) => join(root, "node_modules", p);
const out = (p) => join(root, "static", "vendor", p);

rmSync(out(""), { recursive: true, force: true });
const copy = (from, to) => {
  mkdirSync(dirname(out(to)), { recursive: true });
  copyFileSync(nm(from), out(to));
};

copy("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js");
copy("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js");
// The bundle names its source map; collectstatic's manifest storage (production)
// fails on a reference to a missing file.
copy("chart.js/dist/chart.umd.min.js.map", "chartjs/chart.umd.min.js.map");
copy("@digital-go-jp/design-tokens/dist/tokens.css", "dads/tokens.css");

// Fonts, woff2 only (every browser we support reads it), one @font-face
// per unicode-range subset, so a page downloads only the subsets its text
// uses.  Noto Sans JP carries the interface (regular and bold); the others
// cover the autonyms and client-facing text in scripts it lacks (Hangul,
// Devanagari, Myanmar, Khmer, Sinhala, Thai, Bengali, Arabic/Urdu) and the
// Chinese forms that differ from Japanese ones.
const fontFaces = (pkg, weight) => {
  const source = readFileSync(nm(`@fontsource/${pkg}/${weight}.css`), "utf8");
  const rewritten = source.replace(
    /src: url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\), url\([^)]+\) format\('woff'\);/g,
    (_, file) => {
      copy(`@fontsource/${pkg}/files/${file}`, `fonts/files/${file}`);
      return `src: url(./files/${file}) format('woff2');`;
    },
  );
  if (rewritten.includes("format('woff')")) {
    throw new Error(`unexpected @fontsource CSS layout in ${pkg}/${weight}.css`);
  }
  return rewritten;
};

writeFileSync(out("fonts/noto-sans-jp.css"), ["400", "700"].map((w) => fontFaces("noto-sans-jp", w)).join("\n"));
const scripts = [
  "noto-sans-kr",
  "noto-sans-sc",
  "noto-sans-tc",
  "noto-sans-devanagari",
  "noto-sans-bengali",
  "noto-sans-myanmar",
  "noto-sans-khmer",
  "noto-sans-sinhala",
  "noto-sans-thai",
  "noto-sans-arabic",
];
writeFileSync(out("fonts/scripts.css"), scripts.map((pkg) => fontFaces(pkg, "400")).join("\n"));
console.log("static/vendor ready");
