// The loader that stands in for a bundle the .vsix stores brotli-compressed (`NAME.js.br` beside it):
// it expands the bundle and compiles it into its own module, as Node's loader would have compiled the
// file, so the bundle sees the same __filename, __dirname, require and module.
export const PACKED_BUNDLE_LOADER = `"use strict";
// pglens: this bundle is stored brotli-compressed beside this file (scripts/packed-bundle.mjs).
module._compile(require("node:zlib").brotliDecompressSync(require("node:fs").readFileSync(__filename + ".br")).toString("utf8"), __filename);
`;
