// PGlite's run-time files, as the bundles ship them. Its file-system image (pglite.data) holds all of a
// PostgreSQL install; the parts the embedded database never loads are blanked (zeroed in place, so
// every other file keeps its offset in PGlite's own index of the image). A production build (.vsix)
// also stores each file brotli-compressed, `NAME.br`, which the sandbox worker expands in memory
// (server/src/db/sandbox/packed-assets.ts): a third of the size zip's deflate gets. Compressing
// takes about a minute, so results are kept in node_modules/.cache/pglens, keyed by content.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

export const PGLITE_FILES = ['pglite.wasm', 'pglite.data', 'initdb.wasm'];

/**
 * What the sandbox never loads: encoding conversions (it speaks UTF-8 only), replication (the WAL
 * receiver, logical decoding output), the kit for building extensions, and a reference table of error
 * codes. docs/sandbox.md lists them for users.
 */
const UNUSED = [
  /^\/pglite\/lib\/postgresql\/(?:\w+_and_\w+|euc2004_sjis2004)\.so$/,
  /^\/pglite\/lib\/postgresql\/(?:libpqwalreceiver|pgoutput)\.so$/,
  /^\/pglite\/lib\/postgresql\/pgxs\//,
  /^\/pglite\/share\/postgresql\/errcodes\.txt$/,
];

/** PGlite's index of its image: each file's path and byte range, read from its CommonJS build. */
function imageIndex(pgliteDir, size) {
  const source = readFileSync(join(pgliteDir, 'index.cjs'), 'utf8');
  const files = [...source.matchAll(/filename:"([^"]+)",start:(\d+),end:(\d+)/g)].map(([, path, start, end]) => ({ path, start: Number(start), end: Number(end) }));
  const covered = files.reduce((sum, file) => sum + (file.end - file.start), 0);
  // A new PGlite that indexes its image differently must fail the build, not ship an image blanked wrong.
  if (files.length === 0 || covered !== size || files.some((file) => file.start < 0 || file.end > size)) {
    throw new Error(`PGlite's index of pglite.data (${files.length} files, ${covered} of ${size} bytes) is not what scripts/pglite-assets.mjs expects; update it for this PGlite version.`);
  }
  return files;
}

/** pglite.data with the unused files blanked; `blanked` counts their bytes. */
export function slimImage(pgliteDir) {
  const image = readFileSync(join(pgliteDir, 'pglite.data'));
  let blanked = 0;
  for (const file of imageIndex(pgliteDir, image.length)) {
    if (UNUSED.some((pattern) => pattern.test(file.path))) {
      image.fill(0, file.start, file.end);
      blanked += file.end - file.start;
    }
  }
  if (blanked === 0) throw new Error('no unused file was found in pglite.data: check UNUSED in scripts/pglite-assets.mjs against this PGlite version.');
  return { image, blanked };
}

/** Brotli at its best (quality 11, 16 MB window), cached by content. */
export function brotli(buffer, cacheDir) {
  const key = createHash('sha256').update(buffer).digest('hex').slice(0, 32);
  const cached = join(cacheDir, `${key}.br`);
  if (existsSync(cached)) return readFileSync(cached);
  const packed = brotliCompressSync(buffer, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length },
  });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(`${cached}.tmp`, packed);
  renameSync(`${cached}.tmp`, cached); // a build stopped mid-write leaves no truncated entry
  return packed;
}
