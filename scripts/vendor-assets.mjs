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

// Noto Sans JP, regular and bold, woff2 only (every browser we support
// reads it): one @font-face per unicode-range subset, so a page downloads
// only the subsets its text uses.
const css = [];
for (const weight of ["400", "700"]) {
  const source = readFileSync(nm(`@fontsource/noto-sans-jp/${weight}.css`), "utf8");
  const rewritten = source.replace(
    /src: url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\), url\([^)]+\) format\('woff'\);/g,
    (_, file) => {
      copy(`@fontsource/noto-sans-jp/files/${file}`, `fonts/files/${file}`);
      return `src: url(./files/${file}) format('woff2');`;
    },
  );
  if (rewritten.includes("format('woff')")) {
    throw new Error(`unexpected @fontsource CSS layout in ${weight}.css`);
  }
  css.push(rewritten);
}
writeFileSync(out("fonts/noto-sans-jp.css"), css.join("\n"));
console.log("static/vendor ready");
